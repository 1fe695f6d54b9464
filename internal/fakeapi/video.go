package fakeapi

type videoState struct{}

func (st *videoState) init() {}
