package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestServiceUnit checks the unit `roost service install --dry-run` prints:
// the hardening the service needs, and that systemd accepts it.
func TestServiceUnit(t *testing.T) {
	var out bytes.Buffer
	if err := runService([]string{"install", "--url", "https://alice.test/", "--data", "/srv/roost", "--user", "alice", "--dry-run"}, &out); err != nil {
		t.Fatal(err)
	}
	unit := out.String()
	for _, want := range []string{"User=alice", "ProtectSystem=strict", "ReadWritePaths=/srv/roost",
		"AmbientCapabilities=CAP_NET_BIND_SERVICE", "Restart=on-failure", " serve --data /srv/roost --url https://alice.test\n",
		"NoNewPrivileges=yes", "WantedBy=multi-user.target"} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit lacks %q:\n%s", want, unit)
		}
	}
	for _, bad := range [][]string{
		{"install", "--url", "alice.test", "--dry-run"},
		{"install", "--url", "https://alice.test", "--data", "relative", "--dry-run"},
		{"install", "--url", "https://alice.test", "--user", "a b", "--dry-run"},
		{"start"},
	} {
		if err := runService(bad, &out); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("systemd-analyze (Debian package systemd) is needed under CI")
		}
		t.Skip("systemd-analyze not found: install the Debian package systemd to verify the unit")
	}
	path := filepath.Join(t.TempDir(), "roost.service")
	if err := os.WriteFile(path, out.Bytes()[:len(unit)], 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(analyze, "verify", "--man=no", path).CombinedOutput(); err != nil || len(bytes.TrimSpace(msg)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, msg)
	}
}
