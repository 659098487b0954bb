"""Review: the dashboard's numbers, search (with typed pinyin) and export."""
