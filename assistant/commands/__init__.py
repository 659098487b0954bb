"""Subcommands of `coach`; each module keeps imports light at module level."""
