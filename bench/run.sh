#!/usr/bin/env bash
# Reproduces the "Peer benchmarks (bench/ module)" table of BENCHMARKS.md:
# every contest runs side by side in one go test run, on loopback servers in
# this process (the batch server in a subprocess of it). About 25 minutes on
# a 2-core machine. Pipe the output to a file to keep it
# (./run.sh | tee bench.out).
set -euo pipefail
cd "$(dirname "$0")"
go version

run() {
  echo "+ go test $*"
  go test "$@"
}

# The parsers agree on a short stream, so the SSE figures compare equal work.
run -count=1 ./...

# 1. Request overhead: Client.Do vs net/http + encoding/json. It needs no
# peer library, so it lives beside the SDK (client_bench_test.go).
(cd .. && run -run '^$' -bench '^(BenchmarkClientDo|BenchmarkRawHTTP|BenchmarkClientDoVsRaw)$' -benchtime=2s -count=5 .)
# 2. SSE parsing of the recorded 100,000-token chat stream.
run -run '^$' -bench '^BenchmarkSSE' -benchtime=20x -count=5 .
# 3. 1 GiB direct upload at concurrency 4 vs a hand-written parallel uploader
# (errgroup + io.SectionReader per part), 5 ms per request, lean storage.
run -run '^$' -bench '^BenchmarkUpload1GiB$' -benchtime=5x -count=3 .
# 4. Video upload at concurrency 4 vs 1, 5 ms per chunk, lean storage.
run -run '^$' -bench '^BenchmarkVideoUpload$' -benchtime=5x -count=3 .
# 5. Batch upload: UploadBatch vs a hand-written net/http + mime/multipart
# peer over 10,000 small files, 20 ms per request, interleaved; then the
# cost per file of each at 1,000 / 10,000 / 100,000 files without latency.
# The batch server runs in a subprocess, so CPU figures are the client's.
run -run '^$' -bench '^BenchmarkUploadBatchVsPeer$' -benchtime=5x -count=3 .
run -run '^$' -bench '^BenchmarkUploadBatchScale$' -benchtime=3x -count=3 .
