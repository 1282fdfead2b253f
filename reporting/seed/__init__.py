"""Demo data (`demo.seed`, run by `manage.py seed_demo` after every other app's)."""
