package scopix

import (
	"net/url"
	"strings"
)

// idSegment turns a caller-supplied id into one escaped path segment. An
// empty or blank id, "." or ".." is a *ValidationError naming field: servers
// and proxies normalise dot segments into another route, so such an id
// could reach an endpoint the caller never named. Every id that goes into
// a path passes through here.
func idSegment(field, id string) (string, error) {
	switch {
	case strings.TrimSpace(id) == "":
		return "", validationError(field, "must not be empty")
	case id == "." || id == "..":
		return "", validationError(field, "must not be a dot segment ("+id+")")
	}
	return url.PathEscape(id), nil
}
