package fakeapi

// resources is the state of every resource, guarded by Server.mu. Each
// resource file defines its own state type and its init.
type resources struct {
	files   filesState
	video   videoState
	chat    chatState
	cloud   cloudState
	s3      s3State
	folders foldersState
	colors  colorsState
	links   linksState
	tenant  tenantState
	batch   batchState
}

func (r *resources) init() {
	r.files.init()
	r.video.init()
	r.chat.init()
	r.cloud.init()
	r.s3.init()
	r.folders.init()
	r.colors.init()
	r.links.init()
	r.tenant.init()
	r.batch.init()
}
