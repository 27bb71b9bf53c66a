#!/usr/bin/env bash
# Each supply-chain gate fails on a planted problem and passes on a clean input, run the way make runs it
# (the same scripts and the repo's own configuration). Planted secrets are made at run time, so none is in
# the repo. Sourced by run.sh.

test_shell_lint_fails_on_a_planted_script() {
  # shellcheck disable=SC2016 # the planted script's own variables, written as they are
  printf '#!/usr/bin/env bash\nset -euo pipefail\ndir=$1\nrm -rf $dir/*\n' >"$T/planted.sh"
  assert_exit 1 "$ROOT/scripts/shell-lint.sh" "$T/planted.sh"
  assert_contains "$T/out" "SC2086"
  # shellcheck disable=SC2016 # as above
  printf '#!/usr/bin/env bash\nset -euo pipefail\ndir=$1\nrm -rf "${dir:?}"/*\n' >"$T/clean.sh"
  assert_exit 0 "$ROOT/scripts/shell-lint.sh" "$T/clean.sh"
}
check "gate shellcheck: fails on an unquoted variable, passes once quoted" test_shell_lint_fails_on_a_planted_script

test_yaml_lint_fails_on_a_planted_file() {
  printf 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n  a: "2"\n' >"$T/duplicate.yaml"
  assert_exit 1 "$ROOT/scripts/yaml-lint.sh" "$T/duplicate.yaml"
  assert_contains "$T/out" "key-duplicates"
  # A warning (here: bad indentation of a sequence) fails too: --strict.
  printf 'items:\n- a\n-   b\n' >"$T/indent.yaml"
  assert_exit 1 "$ROOT/scripts/yaml-lint.sh" "$T/indent.yaml"
  printf 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: "1"\n' >"$T/clean.yaml"
  assert_exit 0 "$ROOT/scripts/yaml-lint.sh" "$T/clean.yaml"
}
check "gate yamllint: fails on a duplicate key and on a warning, passes on a clean file" test_yaml_lint_fails_on_a_planted_file

test_secret_scan_fails_on_planted_secrets() {
  openssl genrsa -traditional -out "$T/rsa.pem" 2048 2>/dev/null
  openssl genpkey -algorithm ed25519 -out "$T/pkcs8.pem" 2>/dev/null
  local body
  body=$(head -c 200 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 93)
  echo "ANTHROPIC_API_KEY=sk-ant-api03-${body}AA" >"$T/env"
  echo "Auth__ApiKeys__odoo=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" >"$T/odoo.env"
  echo "Cache__Redis=redis.internal:6380,ssl=true,password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" >"$T/redis.env"
  local f
  for f in rsa.pem pkcs8.pem env odoo.env redis.env; do
    assert_exit 1 "$ROOT/scripts/secret-scan.sh" "$T/$f"
    assert_not_contains "$T/out" "$(tail -c 20 "$T/$f" | head -c 12)"   # findings are masked in the log
  done
  # The allow-list: the test keys, by exact value, and key hashes pass; a near miss does not.
  printf 'const string ApiKey = "sk-ant-test-0123456789abcdef";\nAuth__ApiKeys__odoo=sha256:%s\n' "$(printf x | sha256sum | cut -c1-64)" >"$T/allowed.cs"
  assert_exit 0 "$ROOT/scripts/secret-scan.sh" "$T/allowed.cs"
  # Near misses, one character longer than an allowed key (built here, or this file would hold them).
  echo 'const string ApiKey = "sk-ant-test-0123456789abcdef'"0\";" >"$T/near.cs"
  assert_exit 1 "$ROOT/scripts/secret-scan.sh" "$T/near.cs"
  echo '("Auth:ApiKeys:second", "second-key-0123456789'"0\")" >"$T/near2.cs"
  assert_exit 1 "$ROOT/scripts/secret-scan.sh" "$T/near2.cs"
}
check "gate secretlint: fails on private keys, an Anthropic key, a literal API key and Redis password; allow-list exact" test_secret_scan_fails_on_planted_secrets

test_secret_scan_covers_new_files_in_the_tree() {
  # A file that is in the tree but not yet committed is scanned too (git ls-files --others).
  local planted="$ROOT/.planted-secret-$$.env"
  # shellcheck disable=SC2064 # expanded now: the locals are gone when the trap runs
  trap "rm -f '$planted'; rm -rf '$T'" EXIT
  echo "Audit__HmacKey=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" >"$planted"
  assert_exit 1 "$ROOT/scripts/secret-scan.sh"
  assert_contains "$T/out" ".planted-secret-$$.env"
}
check "gate secretlint: the tree scan finds a planted untracked file" test_secret_scan_covers_new_files_in_the_tree

test_trivyignore_needs_dated_explained_entries() {
  local soon past far
  soon=$(date -d '+30 days' +%F); past=$(date -d '-1 day' +%F); far=$(date -d '+200 days' +%F)
  printf 'vulnerabilities:\n  - id: CVE-2026-0001\n    statement: "no fix yet"\n' >"$T/undated.yaml"
  assert_exit 1 "$ROOT/scripts/trivyignore-check.sh" "$T/undated.yaml"
  assert_contains "$T/out" "CVE-2026-0001: no expired_at date"
  printf 'vulnerabilities:\n  - id: CVE-2026-0002\n    expired_at: %s\n    statement: "no fix yet"\n' "$past" >"$T/expired.yaml"
  assert_exit 1 "$ROOT/scripts/trivyignore-check.sh" "$T/expired.yaml"
  assert_contains "$T/out" "expired on"
  printf 'vulnerabilities:\n  - id: CVE-2026-0003\n    expired_at: %s\n    statement: "no fix yet"\n' "$far" >"$T/far.yaml"
  assert_exit 1 "$ROOT/scripts/trivyignore-check.sh" "$T/far.yaml"
  printf 'vulnerabilities:\n  - id: CVE-2026-0004\n    expired_at: %s\n' "$soon" >"$T/unexplained.yaml"
  assert_exit 1 "$ROOT/scripts/trivyignore-check.sh" "$T/unexplained.yaml"
  printf 'vulnerabilities:\n  - id: CVE-2026-0005\n    expired_at: %s\n    statement: "no fix yet"\n' "$soon" >"$T/good.yaml"
  assert_exit 0 "$ROOT/scripts/trivyignore-check.sh" "$T/good.yaml"
  assert_exit 0 "$ROOT/scripts/trivyignore-check.sh"
}
check "gate image-scan ignores: undated, expired, too far or unexplained entries fail" test_trivyignore_needs_dated_explained_entries

test_sbom_check_fails_on_a_missing_package() {
  [ -f "$ROOT/build/sbom/aigrpc-server.cdx.json" ] || "$ROOT/scripts/sbom.sh" >/dev/null
  local sbom=$ROOT/build/sbom/aigrpc-server.cdx.json project=$ROOT/src/AiGrpc.Server/AiGrpc.Server.csproj
  assert_exit 0 "$ROOT/scripts/sbom-check.sh" "$sbom" "$project"
  jq 'del(.components[] | select(.name == "StackExchange.Redis"))' "$sbom" >"$T/gap.cdx.json"
  assert_exit 1 "$ROOT/scripts/sbom-check.sh" "$T/gap.cdx.json" "$project"
  assert_contains "$T/out" "stackexchange.redis@"
  jq '.bomFormat = "SPDX"' "$sbom" >"$T/not-cdx.json"
  assert_exit 1 "$ROOT/scripts/sbom-check.sh" "$T/not-cdx.json" "$project"
}
check "gate SBOM: a document missing one resolved package (or not CycloneDX) fails" test_sbom_check_fails_on_a_missing_package

# A throwaway project under the repo's build settings (Directory.Build.props, .editorconfig, global.json).
planted_project() { # planted_project DIR PACKAGE VERSION (package optional)
  mkdir -p "$1"
  cp "$ROOT/Directory.Build.props" "$ROOT/.editorconfig" "$ROOT/global.json" "$1/"
  { echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally></PropertyGroup><ItemGroup>'
    [ -z "${2:-}" ] || echo "<PackageVersion Include=\"$2\" Version=\"$3\" />"
    echo '</ItemGroup></Project>'; } >"$1/Directory.Packages.props"
  { echo '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><OutputType>Library</OutputType><AllowUnsafeBlocks>true</AllowUnsafeBlocks></PropertyGroup><ItemGroup>'
    [ -z "${2:-}" ] || echo "<PackageReference Include=\"$2\" />"
    echo '</ItemGroup></Project>'; } >"$1/Planted.csproj"
}

test_security_analyzers_fail_the_build() {
  planted_project "$T/p"
  # CA5394 (System.Random) and CA5392 (P/Invoke search path) are off by default: AnalysisModeSecurity=All
  # turns them on; CA5351 (MD5) is a broken algorithm. All three must be errors.
  cat >"$T/p/Planted.cs" <<'CS'
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Planted;

public static partial class Weak
{
    public static int Token() => new Random().Next();

    public static byte[] Digest(byte[] data) => MD5.HashData(data);

    [LibraryImport("libc", EntryPoint = "getpid")]
    internal static partial int GetPid();
}
CS
  assert_exit 1 dotnet build "$T/p/Planted.csproj" -c Release -warnaserror -nologo -p:NuGetAudit=false
  assert_contains "$T/out" "error CA5394"
  assert_contains "$T/out" "error CA5392"
  assert_contains "$T/out" "error CA5351"
}
check "gate security analyzers: CA5394, CA5392, CA5351 fail a build under the repo's settings" test_security_analyzers_fail_the_build

test_nuget_audit_fails_on_a_transitive_vulnerability() {
  # No advisory comes from this machine's package registry (it serves no VulnerabilityInfo), so a stand-in
  # advisory source on loopback says Newtonsoft.Json < 13.0.1 is vulnerable (as the real advisory does);
  # Microsoft.Rest.ClientRuntime 2.3.24 brings Newtonsoft.Json 10.0.3 in transitively.
  planted_project "$T/p" Microsoft.Rest.ClientRuntime 2.3.24
  local port pid
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  mkdir -p "$T/advisories"
  printf '{"version":"3.0.0","resources":[{"@id":"http://127.0.0.1:%s/vulnerabilities.json","@type":"VulnerabilityInfo/6.7.0"}]}' "$port" >"$T/advisories/index.json"
  printf '[{"@name":"base","@id":"http://127.0.0.1:%s/base.json","@updated":"2026-01-01T00:00:00Z"}]' "$port" >"$T/advisories/vulnerabilities.json"
  echo '{"newtonsoft.json":[{"url":"https://example.invalid/PLANTED-ADVISORY","severity":2,"versions":"(, 13.0.1)"}]}' >"$T/advisories/base.json"
  cat >"$T/p/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <auditSources>
    <clear />
    <add key="planted" value="http://127.0.0.1:$port/index.json" allowInsecureConnections="true" />
  </auditSources>
</configuration>
XML
  python3 -m http.server --bind 127.0.0.1 "$port" --directory "$T/advisories" >/dev/null 2>&1 &
  pid=$!
  # shellcheck disable=SC2064 # expanded now: the locals are gone when the trap runs
  trap "kill $pid 2>/dev/null; rm -rf '$T'" EXIT
  for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/index.json" >/dev/null && break; sleep 0.1; done
  # The restore (so every build) fails: transitive packages are audited, and the finding is an error.
  assert_exit 1 dotnet restore "$T/p/Planted.csproj"
  assert_contains "$T/out" "error NU1903"
  assert_contains "$T/out" "'Newtonsoft.Json' 10.0.3"
  # Only because the audit mode is "all": in "direct" mode the same restore passes.
  assert_exit 0 dotnet restore "$T/p/Planted.csproj" -p:NuGetAuditMode=direct
  # make audit's script fails and names the package in its report.
  AUDIT_OUT=$T/audit assert_exit 1 "$ROOT/scripts/audit.sh" "$T/p/Planted.csproj"
  assert_contains "$T/out" "Newtonsoft.Json 10.0.3 (transitive): High https://example.invalid/PLANTED-ADVISORY"
}
check "gate NuGet audit: a transitive vulnerable package fails the restore and make audit" test_nuget_audit_fails_on_a_transitive_vulnerability
