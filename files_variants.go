package scopix

import (
	"context"
	"net/http"
)

// triggerVariantsSuffix is the variant regeneration endpoint of a file.
const triggerVariantsSuffix = "trigger-variants" // inferred: predecessor POST /user-files/{id}/trigger-variants (api/files.md) under Scopix /files

// TriggerVariants queues the generation of an image's size variants again
// (POST /files/{id}/trigger-variants), for an image whose variants failed
// or never appeared. When a generation is already queued or running, that
// task is returned with SkippedDuplicate set instead of a new one.
//
// Errors: *ValidationError (empty id), *PermissionError (HTTP 403: the
// file is not yours), *ResourceNotFoundError, *ServerError (HTTP 500: the
// task queue is down), and the transport errors of every call.
func (s *FilesService) TriggerVariants(ctx context.Context, id string) (*VariantGeneration, error) {
	idPath, err := filePath(id)
	if err != nil {
		return nil, err
	}
	req, err := s.client.newRequest(http.MethodPost, idPath+"/"+triggerVariantsSuffix, nil)
	if err != nil {
		return nil, err
	}
	// A repeat finds the queued task and returns it (skipped_duplicate).
	req.idempotent()
	return doJSON[VariantGeneration](ctx, s.client, req)
}

// VariantGeneration is what TriggerVariants returns.
type VariantGeneration struct {
	Success          bool   `json:"success"`
	Message          string `json:"message"`
	TaskID           string `json:"task_id"`
	CurrentStatus    string `json:"current_status"` // the image's variant status, e.g. processing
	ImageID          string `json:"image_id"`
	SkippedDuplicate bool   `json:"skipped_duplicate"` // an earlier task is still queued or running
}
