# The OpenClaw upgrade of docs/OPENCLAW.md as one step on the host, with its own rollback: the
# Windows twin of upgrade-openclaw.sh (same steps, same one-line verdict; that one is tested end to
# end in UpgradeFlowTest, this one has not run on Windows yet). Tier 2 sends it as one hostops
# command; it runs to its end on the host even when the gateway it rebuilds (where Tier 2 may live)
# goes away, and its result waits in the dispatcher under the command's id.
#
#   pwsh -NoProfile -NonInteractive -File C:\HostOps\upgrade-openclaw.ps1 -RepoPath C:\OpenClaw -Ref main -RollbackOnFailure
#
# Steps: refuse a dirty repository, remember HEAD, fetch, check out the ref, fast-forward a branch,
# rebuild and restart the service, wait for /healthz and /readyz. With -RollbackOnFailure, a
# failure after the checkout puts the previous commit back (the branch is moved back with
# checkout -B, no reset --hard), rebuilds, and waits for health again.
#
# Progress goes to stderr (hostops streams it live); stdout is one line,
# OPENCLAW_RESULT_JSON:{...}, small enough for a result's stdoutTail. Exit 0 on success, 1 on failure.
param(
    [Parameter(Mandatory = $true)][string]$RepoPath,
    [string]$ComposePath = "",
    [string]$Ref = "main",
    [string]$ServiceName = "openclaw-gateway",
    [string]$GatewayBaseUrl = "http://127.0.0.1:18789",
    [int]$HealthTimeoutSec = 120,
    [switch]$RollbackOnFailure,
    [switch]$AllowDirty,
    [string]$Git = "git",
    [string]$Docker = "docker"
)

$ErrorActionPreference = "Stop"
$ProgressPreference = "SilentlyContinue"
if (-not $ComposePath) { $ComposePath = $RepoPath }

$result = [ordered]@{
    success           = $false
    requestedRef      = $Ref
    beforeSha         = $null
    beforeBranch      = $null
    afterSha          = $null
    afterBranch       = $null
    dirtyRepo         = $false
    healthz           = $false
    readyz            = $false
    rollbackPerformed = $false
    rollbackHealthy   = $false
    failedStep        = $null
    error             = $null
    rollbackError     = $null
    logsTail          = $null
}

function Write-Note([string]$Text) {
    [Console]::Error.WriteLine($Text)
}

# Runs a program with its output on stderr; returns @{ code; out }. Never throws for a non-zero exit.
function Invoke-Step([string]$File, [string[]]$Arguments) {
    Write-Note "==> $File $($Arguments -join ' ')"
    $ErrorActionPreference = "Continue"   # a native program's stderr is output here, not an error
    $lines = & $File @Arguments 2>&1 | ForEach-Object { "$_" }
    $code = $LASTEXITCODE
    $text = ($lines -join "`n").Trim()
    if ($text) { Write-Note $text }
    return @{ code = $code; out = $text }
}

# Records why the upgrade stopped (the step and the last lines of its output), then stops it.
function Stop-Upgrade([string]$Step, [string]$Why, [string]$Out = "") {
    $script:result.failedStep = $Step
    $tail = ($Out -split "`n" | Select-Object -Last 5) -join " | "
    $script:result.error = if ($tail) { "$Why | $tail" } else { $Why }
    throw [System.OperationCanceledException]::new($Why)
}

function Test-Http200([string]$Url) {
    try {
        return (Invoke-WebRequest -Uri $Url -UseBasicParsing -TimeoutSec 5).StatusCode -eq 200
    } catch {
        return $false
    }
}

# Waits for /healthz and /readyz, polling every 3 s until -HealthTimeoutSec; returns @{ healthz; readyz }.
function Wait-Healthy {
    $deadline = (Get-Date).AddSeconds($HealthTimeoutSec)
    while ($true) {
        $hz = Test-Http200 "$GatewayBaseUrl/healthz"
        $rz = Test-Http200 "$GatewayBaseUrl/readyz"
        if (($hz -and $rz) -or (Get-Date) -ge $deadline) {
            return @{ healthz = $hz; readyz = $rz }
        }
        Start-Sleep -Seconds 3
    }
}

function Invoke-Upgrade {
    if (-not (Test-Path -LiteralPath $RepoPath -PathType Container)) { Stop-Upgrade "repo" "the repository $RepoPath does not exist" }
    Set-Location -LiteralPath $RepoPath
    $s = Invoke-Step $Git @("status", "--porcelain")
    if ($s.code -ne 0) { Stop-Upgrade "status" "git status failed" $s.out }
    if ($s.out -and -not $AllowDirty) {
        $script:result.dirtyRepo = $true
        Stop-Upgrade "status" "the working tree has local changes; refusing to upgrade" $s.out
    }
    $s = Invoke-Step $Git @("rev-parse", "HEAD")
    if ($s.code -ne 0) { Stop-Upgrade "rev-parse" "git rev-parse HEAD failed" $s.out }
    $script:result.beforeSha = $s.out
    $branch = (& $Git symbolic-ref --short -q HEAD 2>$null)
    $script:result.beforeBranch = if ($branch) { "$branch".Trim() } else { $null }
    $s = Invoke-Step $Git @("fetch", "--all", "--prune")
    if ($s.code -ne 0) { Stop-Upgrade "fetch" "git fetch failed" $s.out }
    $s = Invoke-Step $Git @("checkout", $Ref)
    if ($s.code -ne 0) { Stop-Upgrade "checkout" "git checkout $Ref failed" $s.out }
    $branch = (& $Git symbolic-ref --short -q HEAD 2>$null)
    $script:result.afterBranch = if ($branch) { "$branch".Trim() } else { $null }
    if ($script:result.afterBranch) {
        $s = Invoke-Step $Git @("pull", "--ff-only")
        if ($s.code -ne 0) { Stop-Upgrade "pull" "git pull --ff-only failed" $s.out }
    }
    $s = Invoke-Step $Git @("rev-parse", "HEAD")
    if ($s.code -ne 0) { Stop-Upgrade "rev-parse" "git rev-parse HEAD failed" $s.out }
    $script:result.afterSha = $s.out
    if (-not (Test-Path -LiteralPath $ComposePath -PathType Container)) { Stop-Upgrade "compose" "the compose directory $ComposePath does not exist" }
    Set-Location -LiteralPath $ComposePath
    $s = Invoke-Step $Docker @("compose", "up", "-d", "--build", $ServiceName)
    if ($s.code -ne 0) { Stop-Upgrade "compose-up" "docker compose up failed" $s.out }
    $health = Wait-Healthy
    $script:result.healthz = $health.healthz
    $script:result.readyz = $health.readyz
    if (-not ($health.healthz -and $health.readyz)) {
        Stop-Upgrade "health" "the service did not become healthy within $($HealthTimeoutSec)s"
    }
    $script:result.success = $true
}

function Invoke-Rollback {
    $before = $script:result.beforeSha
    Write-Note "==> rolling back to $before"
    Set-Location -LiteralPath $RepoPath
    $s = if ($script:result.beforeBranch) {
        Invoke-Step $Git @("checkout", "-B", $script:result.beforeBranch, $before)
    } else {
        Invoke-Step $Git @("checkout", "--detach", $before)
    }
    if ($s.code -ne 0) { $script:result.rollbackError = "git checkout failed: $($s.out)"; return }
    $script:result.rollbackPerformed = $true
    Set-Location -LiteralPath $ComposePath
    $s = Invoke-Step $Docker @("compose", "up", "-d", "--build", $ServiceName)
    if ($s.code -ne 0) { $script:result.rollbackError = "docker compose up failed: $($s.out)"; return }
    $health = Wait-Healthy
    $script:result.rollbackHealthy = [bool]($health.healthz -and $health.readyz)
}

try {
    Invoke-Upgrade
} catch [System.OperationCanceledException] {
    # Stop-Upgrade recorded why.
} catch {
    $result.failedStep = if ($result.failedStep) { $result.failedStep } else { "script" }
    $result.error = $_.Exception.Message
}

if (-not $result.success -and $RollbackOnFailure -and $result.beforeSha) {
    $now = (& $Git -C $RepoPath rev-parse HEAD 2>$null)
    if ($now -and "$now".Trim() -ne $result.beforeSha) {
        try { Invoke-Rollback } catch { $result.rollbackError = $_.Exception.Message }
    }
}

try {
    Set-Location -LiteralPath $ComposePath
    $logs = Invoke-Step $Docker @("compose", "logs", "--tail=20", $ServiceName)
    $text = $logs.out
    $result.logsTail = if ($text.Length -gt 1500) { $text.Substring($text.Length - 1500) } else { $text }
} catch {
    # no logs: the verdict matters more
}

[Console]::Out.WriteLine("OPENCLAW_RESULT_JSON:" + ($result | ConvertTo-Json -Compress -Depth 4))
if ($result.success) { exit 0 } else { exit 1 }
