package scopix

// FilesService uploads, lists, describes and downloads files
// (images, documents and videos) under /files.
type FilesService service

// BatchUploadResults is the outcome of UploadBatch: one result per file,
// the upload session ids, and the files the server rejected.
type BatchUploadResults struct {
	Results    []UploadResult
	SessionIDs []string
	Rejections []Rejection
}

// UploadResult is the outcome of one uploaded file.
type UploadResult struct {
	ImageID  string `json:"image_id"`
	Filename string `json:"filename"`
}

// Rejection is a file the server refused in a batch, with its reason.
type Rejection struct {
	Filename string `json:"filename"`
	Reason   string `json:"reason"`
}
