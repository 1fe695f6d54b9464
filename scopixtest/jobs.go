package scopixtest

import "github.com/scopix/scopix-go"

// Cloud storage and S3 import jobs on the fake progress with the clock: each
// job stays pending for one WithJobStepDelay step, then processes one file
// per step, then ends completed unless one of the knobs below says otherwise.
// Cloud storage connections are made through the fake OAuth flow:
// CloudStorage.InitiateAuth returns a state, and CompleteAuth with that
// state and any code creates the connection.

// EndNextCloudJob makes the next cloud storage import or export job end with
// status (JobStatusCompleted, JobStatusPartial, JobStatusFailed or
// JobStatusCancelled) and message as the job's error text (empty: a default
// text). Calls queue up, one per job. It panics on any other status.
func (s *Server) EndNextCloudJob(status scopix.JobStatus, message string) {
	s.fake.EndNextCloudJob(string(status), message)
}

// EndCloudJob changes how an existing cloud storage job ends (see
// EndNextCloudJob); it reports false when there is no such job.
func (s *Server) EndCloudJob(jobID string, status scopix.JobStatus, message string) bool {
	return s.fake.EndCloudJob(jobID, string(status), message)
}

// EndNextS3Job makes the next S3 import job end with status and message, as
// EndNextCloudJob does for cloud storage jobs.
func (s *Server) EndNextS3Job(status scopix.JobStatus, message string) {
	s.fake.EndNextS3Job(string(status), message)
}

// EndS3Job changes how an existing S3 import job ends; it reports false when
// there is no such job.
func (s *Server) EndS3Job(jobID string, status scopix.JobStatus, message string) bool {
	return s.fake.EndS3Job(jobID, string(status), message)
}

// PutS3Object puts an object into a bucket of the fake S3 for S3 imports to
// find. A bucket nothing was put into holds three sample images.
func (s *Server) PutS3Object(bucket, key string, data []byte) {
	s.fake.PutS3Object(bucket, key, data)
}

// SetS3BucketError makes the custom bucket refuse access with message:
// S3Connector.Configure fails with a *scopix.ValidationError and Validate
// reports the bucket invalid. An empty message makes the bucket work again.
func (s *Server) SetS3BucketError(message string) { s.fake.SetS3BucketError(message) }

// S3ConfigSecret returns the secret access key the fake stored ("" when
// nothing is configured), so a test can check it arrived intact.
func (s *Server) S3ConfigSecret() string { return s.fake.S3ConfigSecret() }
