package scopix

// Wire types the SDK decodes before turning them into its results, named
// for the conformance table in the external test package.
type (
	BatchUploadResponseWire = batchUploadResponse
	VideoUploadSessionWire  = videoUploadSession
	VideoChunkRetryWire     = videoChunkRetry
	VideoChunkURLWire       = videoChunk
)
