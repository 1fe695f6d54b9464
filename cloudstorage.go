package scopix

// CloudStorageService imports from and exports to connected cloud drives under /cloud-storage.
type CloudStorageService service
