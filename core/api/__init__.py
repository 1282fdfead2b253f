"""What every app's API shares: the base viewset (`views`), pagination, error answers, id fields and tokens."""
