package fakeapi

type s3State struct{}

func (st *s3State) init() {}
