// Package bench owns the benchmark harness behind `opkit bench`: it runs
// concurrent sessions over a source held in memory (read from files or a
// playlist, or generated), batch or paced at real time, records every
// segment, summarises the run (real-time ratios, load, latency
// percentiles, CPU use, peak RSS), searches for the session count a
// machine holds and draws it as an SVG chart, and writes the tables, CSV
// and JSON reports. A Plan is one `opkit bench` invocation made ready.
package bench
