package main

import "syscall"

// setParentDeathSignal has the kernel send SIGTERM to a child whose parent
// dies.
func setParentDeathSignal(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGTERM }
