"""The national-scale benchmark (`make bench`). Its urls and views are mounted only when BENCH_HEADERS is on."""
