package scopix

// VideoService uploads videos in resumable parallel chunks under /video-uploads and lists their scenes.
type VideoService service

// VideoAnalysisService queues and follows video analysis jobs under /video-analysis.
type VideoAnalysisService service
