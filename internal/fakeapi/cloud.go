package fakeapi

type cloudState struct{}

func (st *cloudState) init() {}
