package scopix_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scopix/scopix-go"
)

// Every status type answers IsTerminal, and an unknown value the server
// may add later is never taken for the end of an operation.
func TestIsTerminal_EveryStatusType(t *testing.T) {
	t.Parallel()
	type status interface{ IsTerminal() bool }
	tests := []struct {
		name               string
		terminal, inFlight []status
		unknown            status
	}{
		{"DescriptionStatus",
			[]status{scopix.DescriptionCompleted, scopix.DescriptionFailed, scopix.DescriptionSkipped},
			[]status{scopix.DescriptionPending, scopix.DescriptionQueued, scopix.DescriptionProcessing},
			scopix.DescriptionStatus("reviewing")},
		{"SessionStatus",
			[]status{scopix.SessionCompleted, scopix.SessionPartial, scopix.SessionFailed, scopix.SessionExpired, scopix.SessionCancelled},
			[]status{scopix.SessionPending, scopix.SessionUploading, scopix.SessionProcessing},
			scopix.SessionStatus("paused")},
		{"CrawlStatus",
			[]status{scopix.CrawlCompleted, scopix.CrawlFailed},
			[]status{scopix.CrawlPending, scopix.CrawlQueued, scopix.CrawlProcessing},
			scopix.CrawlStatus("retrying")},
		{"ColorExtractionStatus",
			[]status{scopix.ColorExtractionCompleted, scopix.ColorExtractionFailed},
			[]status{scopix.ColorExtractionPending, scopix.ColorExtractionQueued, scopix.ColorExtractionProcessing},
			scopix.ColorExtractionStatus("retrying")},
		{"VideoUploadStatus",
			[]status{scopix.VideoUploadCompleted, scopix.VideoUploadFailed, scopix.VideoUploadAborted},
			[]status{scopix.VideoUploadUploading, scopix.VideoUploadProcessing},
			scopix.VideoUploadStatus("paused")},
		{"BatchItemStatus",
			[]status{scopix.BatchItemSuccess, scopix.BatchItemFailed, scopix.BatchItemSkipped},
			[]status{scopix.BatchItemPending, scopix.BatchItemProcessing},
			scopix.BatchItemStatus("retrying")},
		{"BatchStatus",
			[]status{scopix.BatchCompleted, scopix.BatchFailed, scopix.BatchCancelled, scopix.BatchPartiallyCompleted},
			[]status{scopix.BatchPending, scopix.BatchProcessing},
			scopix.BatchStatus("paused")},
		{"VideoAnalysisStatus",
			[]status{scopix.VideoAnalysisCompleted, scopix.VideoAnalysisFailed, scopix.VideoAnalysisCancelled},
			[]status{scopix.VideoAnalysisPending, scopix.VideoAnalysisUploadingToVLM, scopix.VideoAnalysisProcessing},
			scopix.VideoAnalysisStatus("paused")},
		{"JobStatus",
			[]status{scopix.JobStatusCompleted, scopix.JobStatusPartial, scopix.JobStatusFailed, scopix.JobStatusCancelled},
			[]status{scopix.JobStatusPending, scopix.JobStatusInProgress},
			scopix.JobStatus("paused")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, s := range tc.terminal {
				assert.True(t, s.IsTerminal(), "%v", s)
			}
			for _, s := range tc.inFlight {
				assert.False(t, s.IsTerminal(), "%v", s)
			}
			assert.False(t, tc.unknown.IsTerminal(), "unknown %v", tc.unknown)
		})
	}
}
