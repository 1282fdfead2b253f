-- wrk reporter for bench/run.py: one JSON line with throughput, latency percentiles (ms) and errors
-- (HTTP 4xx/5xx answers, and failed connections, reads, writes and timeouts).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"rps": %.1f, "p50": %.1f, "p95": %.1f, "p99": %.1f, "requests": %d, "errors": %d}\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.status + e.connect + e.read + e.write + e.timeout))
end
