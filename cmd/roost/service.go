package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/template"
)

// serviceOptions are what `roost service install` writes into the unit.
type serviceOptions struct {
	User, DataDir, BaseURL, Binary, UnitPath string
	DryRun                                   bool
}

// runService handles `roost service install`: it writes a systemd unit
// that runs roost as its own unprivileged user, allowed to bind ports 80
// and 443 and to write only its data folder, and prints the commands that
// create the user and start the service.
func runService(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "install" {
		return errors.New("usage: roost service install [--user NAME] [--data DIR] [--url URL] [--dry-run]")
	}
	fs := flag.NewFlagSet("service install", flag.ContinueOnError)
	var o serviceOptions
	fs.StringVar(&o.User, "user", "roost", "the system user the service runs as")
	fs.StringVar(&o.DataDir, "data", envDefault("DATA", "/var/lib/roost"), "data directory of the service (ROOST_DATA)")
	fs.StringVar(&o.BaseURL, "url", envDefault("URL", ""), "the site's public URL, such as https://alice.com (ROOST_URL)")
	fs.StringVar(&o.UnitPath, "unit", "/etc/systemd/system/roost.service", "where to write the unit")
	fs.BoolVar(&o.DryRun, "dry-run", false, "print the unit instead of writing it")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("find the roost binary: %w", err)
	}
	o.Binary = exe
	unit, err := serviceUnit(o)
	if err != nil {
		return err
	}
	if o.DryRun {
		_, err := io.WriteString(out, unit)
		return err
	}
	if err := os.WriteFile(o.UnitPath, []byte(unit), 0o644); err != nil {
		return fmt.Errorf("write the unit: %w (run as root, or use --dry-run)", err)
	}
	fmt.Fprintf(out, `Wrote %s. To start roost now and at every boot:

  id %[2]s >/dev/null 2>&1 || useradd --system --home-dir %[3]s --shell /usr/sbin/nologin %[2]s
  install -d -o %[2]s -g %[2]s -m 0700 %[3]s
  systemctl daemon-reload
  systemctl enable --now %[4]s
  journalctl -u %[4]s -f     # the log, with the first-run setup link
`, o.UnitPath, o.User, o.DataDir, filepath.Base(o.UnitPath))
	return nil
}

// serviceUnit renders the unit for o after checking its values: they end
// up on systemd's command line and in its settings, unquoted.
func serviceUnit(o serviceOptions) (string, error) {
	u, err := url.Parse(o.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--url %q: want the site's public URL, such as https://alice.com", o.BaseURL)
	}
	if !filepath.IsAbs(o.DataDir) {
		return "", fmt.Errorf("--data %q: a service needs an absolute path", o.DataDir)
	}
	for name, v := range map[string]string{"--user": o.User, "--data": o.DataDir, "binary path": o.Binary} {
		if v == "" || strings.ContainsAny(v, " \t\n\"'\\%$;") {
			return "", fmt.Errorf("%s %q: spaces, quotes and %% cannot go into a unit file", name, v)
		}
	}
	var b strings.Builder
	err = unitTemplate.Execute(&b, map[string]string{"User": o.User, "Data": filepath.Clean(o.DataDir),
		"URL": u.Scheme + "://" + u.Host, "Binary": o.Binary})
	return b.String(), err
}

// The unit keeps roost to what it needs: its own user, its data folder,
// the network, and the one capability to bind ports below 1024. SIGTERM
// is roost's graceful stop; TimeoutStopSec leaves room for its default
// 30-second grace period.
var unitTemplate = template.Must(template.New("unit").Parse(`[Unit]
Description=roost for {{.URL}}
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User={{.User}}
Group={{.User}}
ExecStart={{.Binary}} serve --data {{.Data}} --url {{.URL}}
Restart=on-failure
RestartSec=5s
KillSignal=SIGTERM
TimeoutStopSec=45s
AmbientCapabilities=CAP_NET_BIND_SERVICE
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths={{.Data}}
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallErrorNumber=EPERM
UMask=0077

[Install]
WantedBy=multi-user.target
`))
