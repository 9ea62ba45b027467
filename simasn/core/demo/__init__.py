"""The Kota Kendari demo data set (`manage.py seed_demo`): real structure, synthetic people."""
