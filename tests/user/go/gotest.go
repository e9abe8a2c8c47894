// SPDX-License-Identifier: MIT
// gotest: Go runtime features under user-mode emulation: goroutines on many
// threads, channels, GC, async preemption by signal, fork/exec, netpoll,
// os/signal, timers. Output must match between emulators.
package main

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

func goroutines() {
	var wg sync.WaitGroup
	results := make([]string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			h := sha256.New()
			for j := 0; j < 20000; j++ {
				fmt.Fprintf(h, "%d-%d", i, j)
			}
			results[i] = fmt.Sprintf("%x", h.Sum(nil))[:16]
		}(i)
	}
	wg.Wait()
	ch := make(chan int)
	go func() {
		for i := 0; i < 1000; i++ {
			ch <- i
		}
		close(ch)
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
	m := map[string]int{}
	for i := 0; i < 10000; i++ {
		m[fmt.Sprint(i%97)]++
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	runtime.GC()
	fmt.Println("goroutines", results, sum, len(keys), keys[0])
}

var spins uint64

// One P, a goroutine that never calls anything: main gets back only if the
// runtime preempts the spinner with a signal (SIGURG) delivered to its thread.
func preempt() {
	runtime.GOMAXPROCS(1)
	go func() {
		for {
			spins++
		}
	}()
	time.Sleep(20 * time.Millisecond)
	fmt.Println("preempt ok")
}

// fork/exec (Go uses clone(CLONE_VFORK|CLONE_VM)), pipes, exit status.
func forkexec() {
	self, err := os.Executable()
	if err != nil {
		fmt.Println("forkexec: executable:", err)
		os.Exit(1)
	}
	cmd := exec.Command(self, "child", "a b", "c")
	cmd.Stdin = strings.NewReader("from parent\n")
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		fmt.Println("forkexec:", err)
		os.Exit(1)
	}
	fmt.Printf("forkexec %q status %d\n", out, code)
}

func child() {
	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
	fmt.Printf("child args %q stdin %q", os.Args[2:], line)
	os.Exit(7)
}

// TCP over loopback: the netpoller (epoll) wakes goroutines.
func netpoll() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println("netpoll: listen:", err)
		os.Exit(1)
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				io.Copy(c, c)
				c.Close()
			}(c)
		}
	}()
	var wg sync.WaitGroup
	total := make([]int, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return
			}
			msg := strings.Repeat(fmt.Sprint(i), 100000)
			go func() {
				io.WriteString(c, msg)
				c.(*net.TCPConn).CloseWrite()
			}()
			b, _ := io.ReadAll(c)
			if string(b) == msg {
				total[i] = len(b)
			}
			c.Close()
		}(i)
	}
	wg.Wait()
	ln.Close()
	fmt.Println("netpoll", total)
}

func signals() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGUSR1)
	syscall.Kill(os.Getpid(), syscall.SIGUSR1)
	select {
	case s := <-ch:
		fmt.Println("signal", s)
	case <-time.After(10 * time.Second):
		fmt.Println("signal: not delivered")
	}
	t := time.NewTicker(5 * time.Millisecond)
	n := 0
	for range t.C {
		n++
		if n == 5 {
			break
		}
	}
	t.Stop()
	fmt.Println("ticks", n)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		child()
	}
	goroutines()
	// qemu-riscv64 without binfmt_misc cannot exec a riscv64 program.
	if len(os.Args) < 2 || os.Args[1] != "noexec" {
		forkexec()
	}
	netpoll()
	signals()
	preempt()
	os.Exit(3)
}
