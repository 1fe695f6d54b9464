package scopix

// S3ConnectorService manages bring-your-own-bucket settings and S3 import jobs.
type S3ConnectorService service
