package fakeapi

type chatState struct{}

func (st *chatState) init() {}
