package scopix

import (
	"fmt"
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

// checkID refuses what idSegment refuses, for an id checked before its path
// is built or sent in a request body.
func checkID(field, id string) error {
	_, err := idSegment(field, id)
	return err
}

// checkIDs checks every id of a list, naming the one refused field[i].
func checkIDs(field string, ids []string) error {
	for i, id := range ids {
		if err := checkID(fmt.Sprintf("%s[%d]", field, i), id); err != nil {
			return err
		}
	}
	return nil
}
