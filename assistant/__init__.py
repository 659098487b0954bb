"""网点营销教练 (coach): a playbook-driven marketing coach for retail-bank branch staff."""
