"""The playbook pipeline: YAML source with lines, shapes, models, loader, library, validation, rendering."""
