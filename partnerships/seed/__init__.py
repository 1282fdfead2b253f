"""Demo data (`demo.seed`, run by `manage.py seed_demo`) and national-scale data for the benchmark (`scale.seed`, run by
`manage.py seed_scale`)."""
