package lambdart

import "syscall"

// procAttr puts the function in its own process group (so a timeout can kill
// it and anything it started) and has the kernel kill it if the runner dies,
// so no process is ever left behind.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the process group led by pid.
func killGroup(pid int) { _ = syscall.Kill(-pid, syscall.SIGKILL) }
