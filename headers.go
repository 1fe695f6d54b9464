package scopix

import "strings"

// checkHeaderValue refuses a header value that net/http would reject on
// every request (CR, LF, NUL and other control bytes): caught at New, it is
// a *ValidationError naming the option instead of a retryable connection
// error on every call that trips the breaker. The value itself is never
// quoted, since it may be the API key.
func checkHeaderValue(field, v string) error {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return validationError(field, "must not contain control characters (CR, LF, NUL, ...)")
		}
	}
	return nil
}

// checkHeaderName refuses a header name that is not an RFC 9110 token.
func checkHeaderName(field, name string) error {
	if name == "" {
		return validationError(field, "header name must not be empty")
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		isAlnum := b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
		if !isAlnum && !strings.ContainsRune("!#$%&'*+-.^_`|~", rune(b)) {
			return validationError(field, "header name must be a token (letters, digits, !#$%&'*+-.^_`|~)")
		}
	}
	return nil
}

// checkHeaders validates every header value a client will send on each
// request, naming the option that set it.
func (cfg *config) checkHeaders(apiKey string) error {
	if err := checkHeaderValue("api_key", apiKey); err != nil {
		return err
	}
	if err := checkHeaderValue("tenant_id", cfg.tenantID); err != nil {
		return err
	}
	if err := checkHeaderValue("user_agent", cfg.userAgent); err != nil {
		return err
	}
	for name, values := range cfg.headers {
		if err := checkHeaderName("header", name); err != nil {
			return err
		}
		for _, v := range values {
			if err := checkHeaderValue("header", v); err != nil {
				return err
			}
		}
	}
	return nil
}
