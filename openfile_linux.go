//go:build linux

package scopix

import (
	"errors"
	"os"
	"syscall"
)

// openRead opens path for reading. os.Open offers every file it opens on
// Linux to the network poller: four fcntl calls and an epoll_ctl that
// regular files always refuse. A batch opens thousands of small files, so
// it opens them the way os.NewFile takes a descriptor it is given:
// blocking and outside the poller, which is how Go reads regular files
// anyway.
func openRead(path string) (*os.File, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}
