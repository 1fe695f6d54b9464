package scopix_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/scopix/scopix-go"
	"github.com/scopix/scopix-go/scopixtest"
)

// BenchmarkSyncHashing re-syncs a tree the account already holds (32 files
// of 1 MiB): nothing is sent, so the time is hashing plus one duplicate
// check. One hashing worker, so MB/s is the throughput of one core.
func BenchmarkSyncHashing(b *testing.B) {
	srv := scopixtest.NewServer(b)
	c := srv.Client()
	dir := b.TempDir()
	const files, size = 32, 1 << 20
	for i := range files {
		writeFile(b, dir, fmt.Sprintf("scan_%02d.png", i), bytes.Repeat([]byte{byte(i), byte(i >> 1), 7}, size/3+1)[:size])
	}
	ctx := context.Background()
	_, err := c.Files.Sync(ctx, dir, nil)
	require.NoError(b, err)
	p := &scopix.SyncParams{HashConcurrency: 1}
	b.SetBytes(files * size)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		res, err := c.Files.Sync(ctx, dir, p)
		if err != nil || res.BytesSent != 0 {
			b.Fatal(err, res.BytesSent)
		}
	}
	b.ReportMetric(float64(files*size)*float64(b.N)/time.Since(start).Seconds()/1e6, "MB/s/core")
}

// BenchmarkSyncRerun syncs 500 files of 8 KiB, cancels the run once 60% are
// sent, and runs it again: rerun-sent-MB is what the second run sends,
// saved-MB what it does not send again, saved-% that share of the tree.
func BenchmarkSyncRerun(b *testing.B) {
	const files, size = 500, 8 << 10
	dir := b.TempDir()
	for i := range files {
		writeFile(b, dir, fmt.Sprintf("p_%03d.jpg", i), bytes.Repeat([]byte(fmt.Sprintf("%04d", i)), size/4))
	}
	var firstSent, rerunSent, saved int64
	b.ReportAllocs()
	for b.Loop() {
		srv := scopixtest.NewServer(b)
		c := srv.Client()
		ctx, cancel := context.WithCancel(context.Background())
		first, _ := c.Files.Sync(ctx, dir, &scopix.SyncParams{OnProgress: func(p scopix.SyncProgress) {
			if p.Sent >= files*6/10 {
				cancel()
			}
		}})
		cancel()
		second, err := c.Files.Sync(context.Background(), dir, nil)
		if err != nil || second.Count(scopix.SyncUploaded)+second.Count(scopix.SyncPresent) != files {
			b.Fatal(err)
		}
		firstSent += first.BytesSent
		rerunSent += second.BytesSent
		saved += second.BytesSaved
		srv.Close()
	}
	n := float64(b.N)
	b.ReportMetric(float64(firstSent)/n/1e6, "first-sent-MB")
	b.ReportMetric(float64(rerunSent)/n/1e6, "rerun-sent-MB")
	b.ReportMetric(float64(saved)/n/1e6, "saved-MB")
	b.ReportMetric(100*float64(saved)/n/float64(files*size), "saved-%")
}
