package main

import "syscall"

// stopWithParent asks the kernel to send SIGTERM when the parent (make, or
// the shell) dies, so the stack is shut down cleanly rather than orphaned.
func stopWithParent() {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0)
}
