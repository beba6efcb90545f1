<#
.SYNOPSIS
  Installs the Ferry agent from this unpacked distribution as the Windows service FerryAgent.

.DESCRIPTION
  Safe to run again: a second run with the same parameters changes nothing, a run from a newer
  distribution upgrades (see docs/operations.md). Every answer can be given as a parameter, so it runs
  unattended:

    powershell -ExecutionPolicy Bypass -File windows\install.ps1 -Unattended `
      -RelayUrl https://relay.example.com -EnrollmentToken fe_... `
      -SapAshost erp.example.local -SapSysnr 00 -SapClient 100 -SapUser FERRY_RFC

  Layout:
    <InstallDir>\releases\<version>      this distribution (InstallDir: %ProgramFiles%\Ferry)
    <InstallDir>\current                 a junction to the release that runs
    <DataDir>\agent.properties           configuration (DataDir: %ProgramData%\Ferry)
    <DataDir>\agent                      the agent's identity, outbox, secrets
    <DataDir>\logs                       the service's log (rolled at 10 MB, 8 kept)
    <DataDir>\service\FerryAgent.exe     WinSW 2.12.0, downloaded here and checked against its SHA-256
    <DataDir>\service\FerryAgent.xml     the service definition (windows\FerryAgent.xml)

  The service runs as the virtual account NT SERVICE\FerryAgent, which may change only <DataDir>; it
  restarts after a failure (10 s, 30 s, then every 60 s).
#>
[CmdletBinding()]
param(
  [string]$InstallDir = (Join-Path $env:ProgramFiles 'Ferry'),
  [string]$DataDir = (Join-Path $env:ProgramData 'Ferry'),
  # The relay to enroll with, and the one-time token from `ferry admin agents enroll` (or FERRY_ENROLLMENT_TOKEN).
  [string]$RelayUrl,
  [string]$EnrollmentToken = $env:FERRY_ENROLLMENT_TOKEN,
  [string]$AgentName,
  [ValidateSet('bapi', 'odata')][string]$SapBackend,
  [string]$SapAshost,
  [string]$SapSysnr,
  [string]$SapClient,
  [string]$SapUser,
  [string]$SapLang,
  [string]$SapMshost,
  [string]$SapR3name,
  [string]$SapGroup,
  [string]$SapODataUrl,
  # Stored encrypted in the agent's secrets file (ferry agent secrets), never in agent.properties.
  [SecureString]$SapPassword,
  # Any other setting as KEY=VALUE, e.g. -Set agent.workers=8,agent.proxy.url=http://proxy:3128
  [string[]]$Set = @(),
  [string]$JavaHome,
  # A WinSW-x64.exe already on this host (it must match the pinned checksum); otherwise it is downloaded.
  [string]$WinSWPath,
  # Folder with SAP's sapjco3.jar and sapjco3.dll to copy into lib\.
  [string]$SapJco,
  [switch]$NoStart,
  [switch]$Unattended
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

# WinSW 2.12.0, x64. Pinned: the download is refused unless it has exactly this SHA-256.
$WinSWUrl = 'https://github.com/winsw/winsw/releases/download/v2.12.0/WinSW-x64.exe'
$WinSWSha256 = '05b82d46ad331cc16bdc00de5c6332c1ef818df8ceefcd49c726553209b3a0da'
$ServiceName = 'FerryAgent'
$ServiceAccount = "NT SERVICE\$ServiceName"

function Say([string]$Message) { Write-Host "install.ps1: $Message" }
function Fail([string]$Message) { throw "install.ps1: $Message" }

function Test-Administrator {
  $principal = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
  return $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
}

# Sets KEY=VALUE in a properties file: replaces the first KEY= or #KEY= line, else appends it.
function Set-Property([string]$File, [string]$Key, [string]$Value) {
  $lines = [System.Collections.Generic.List[string]]::new()
  $lines.AddRange([string[]](Get-Content -LiteralPath $File -Encoding UTF8))
  $done = $false
  for ($i = 0; $i -lt $lines.Count -and -not $done; $i++) {
    if ($lines[$i].StartsWith("$Key=") -or $lines[$i].StartsWith("#$Key=")) {
      $lines[$i] = "$Key=$Value"
      $done = $true
    }
  }
  if (-not $done) { $lines.Add("$Key=$Value") }
  Set-Content -LiteralPath $File -Value $lines -Encoding UTF8
}

function Test-WinSW([string]$Path) {
  $actual = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
  return $actual -eq $WinSWSha256
}

# Java reads backslashes in properties files as escapes: C:/ProgramData/Ferry works everywhere.
function ConvertTo-PropertyPath([string]$Path) { return $Path.Replace('\', '/') }

if (-not (Test-Administrator)) { Fail 'run this from an elevated PowerShell (Run as administrator)' }

$dist = Split-Path -Parent $PSScriptRoot
if (-not (Test-Path -LiteralPath (Join-Path $dist 'lib\ferry.jar')) -or -not (Test-Path -LiteralPath (Join-Path $dist 'VERSION'))) {
  Fail "run this script from an unpacked distribution (ferry-VERSION.zip); $dist has no lib\ferry.jar"
}
$version = (Get-Content -LiteralPath (Join-Path $dist 'VERSION') -Raw).Trim()

if (-not $Unattended -and [Environment]::UserInteractive) {
  if (-not $RelayUrl) { $RelayUrl = Read-Host 'Relay URL (empty: enroll later)' }
  if ($RelayUrl -and -not $EnrollmentToken) {
    $secure = Read-Host 'Enrollment token' -AsSecureString
    $EnrollmentToken = [Net.NetworkCredential]::new('', $secure).Password
  }
}
if ($EnrollmentToken -and -not $RelayUrl) { Fail '-EnrollmentToken needs -RelayUrl' }

# --- program files: <InstallDir>\releases\<version> and the current junction --------------------------
$release = Join-Path $InstallDir "releases\$version"
$current = Join-Path $InstallDir 'current'
New-Item -ItemType Directory -Force -Path (Join-Path $InstallDir 'releases') | Out-Null
if ((Resolve-Path -LiteralPath $dist).Path -ne $release) {
  $staging = "$release.new"
  if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
  Copy-Item -LiteralPath $dist -Destination $staging -Recurse
  # SAP's JCo is not part of the distribution: keep the one the running release has.
  foreach ($name in 'sapjco3.jar', 'sapjco3.dll') {
    $old = Join-Path $current "lib\$name"
    if (Test-Path -LiteralPath $old) { Copy-Item -LiteralPath $old -Destination (Join-Path $staging 'lib') -Force }
  }
  if (Test-Path -LiteralPath $release) { Remove-Item -LiteralPath $release -Recurse -Force }
  Move-Item -LiteralPath $staging -Destination $release
}
if ($SapJco) {
  if (-not (Test-Path -LiteralPath (Join-Path $SapJco 'sapjco3.jar'))) { Fail "-SapJco $SapJco has no sapjco3.jar" }
  Copy-Item -LiteralPath (Join-Path $SapJco 'sapjco3.jar') -Destination (Join-Path $release 'lib') -Force
  $dll = Join-Path $SapJco 'sapjco3.dll'
  if (Test-Path -LiteralPath $dll) { Copy-Item -LiteralPath $dll -Destination (Join-Path $release 'lib') -Force }
}
if (Test-Path -LiteralPath $current) {
  # Deletes the junction only, never the release it points to.
  [System.IO.Directory]::Delete($current, $false)
}
New-Item -ItemType Junction -Path $current -Target $release | Out-Null
$ferry = Join-Path $current 'bin\ferry.cmd'

# --- configuration and data ---------------------------------------------------------------------------
$agentData = Join-Path $DataDir 'agent'
$logs = Join-Path $DataDir 'logs'
$serviceDir = Join-Path $DataDir 'service'
New-Item -ItemType Directory -Force -Path $DataDir, $agentData, $logs, $serviceDir | Out-Null
$config = Join-Path $DataDir 'agent.properties'
if (-not (Test-Path -LiteralPath $config)) {
  Copy-Item -LiteralPath (Join-Path $dist 'conf\agent.properties') -Destination $config
  Set-Property $config 'agent.data-dir' (ConvertTo-PropertyPath $agentData)
  Say "wrote $config from the example; edit it, then: Restart-Service $ServiceName"
}
$settings = [ordered]@{}
if ($SapBackend) { $settings['sap.backend'] = $SapBackend }
if ($SapAshost) { $settings['sap.jco.jco.client.ashost'] = $SapAshost }
if ($SapSysnr) { $settings['sap.jco.jco.client.sysnr'] = $SapSysnr }
if ($SapClient) { $settings['sap.jco.jco.client.client'] = $SapClient; $settings['sap.odata.client'] = $SapClient }
if ($SapUser) { $settings['sap.jco.jco.client.user'] = $SapUser; $settings['sap.odata.user'] = $SapUser }
if ($SapLang) { $settings['sap.jco.jco.client.lang'] = $SapLang }
if ($SapMshost) { $settings['sap.jco.jco.client.mshost'] = $SapMshost }
if ($SapR3name) { $settings['sap.jco.jco.client.r3name'] = $SapR3name }
if ($SapGroup) { $settings['sap.jco.jco.client.group'] = $SapGroup }
if ($SapODataUrl) { $settings['sap.odata.service-url'] = $SapODataUrl }
foreach ($pair in $Set) {
  $eq = $pair.IndexOf('=')
  if ($eq -lt 1) { Fail "-Set needs KEY=VALUE, was '$pair'" }
  $settings[$pair.Substring(0, $eq)] = $pair.Substring($eq + 1)
}
if ($SapPassword) {
  $settings['sap.jco.jco.client.passwd'] = '${secret:sap-password}'
  $settings['sap.odata.password'] = '${secret:sap-password}'
}
foreach ($key in $settings.Keys) { Set-Property $config $key $settings[$key] }

if ($JavaHome) { $env:JAVA_HOME = $JavaHome }
if ($SapPassword) {
  # ferry agent secrets set reads the value from standard input when it is not a console.
  [Net.NetworkCredential]::new('', $SapPassword).Password | & $ferry agent secrets set sap-password --data-dir $agentData
  if ($LASTEXITCODE -ne 0) { Fail "storing the SAP password failed (exit $LASTEXITCODE)" }
}

# --- the service wrapper: WinSW, checked against its pinned SHA-256 -----------------------------------
$winsw = Join-Path $serviceDir "$ServiceName.exe"
if ((Test-Path -LiteralPath $winsw) -and -not (Test-WinSW $winsw)) {
  Fail "$winsw is not WinSW 2.12.0 (SHA-256 differs from $WinSWSha256); remove it and run again"
}
if (-not (Test-Path -LiteralPath $winsw)) {
  $download = "$winsw.download"
  if ($WinSWPath) {
    Copy-Item -LiteralPath $WinSWPath -Destination $download -Force
  } else {
    Say "downloading WinSW from $WinSWUrl"
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    Invoke-WebRequest -UseBasicParsing -Uri $WinSWUrl -OutFile $download
  }
  if (-not (Test-WinSW $download)) {
    Remove-Item -LiteralPath $download -Force
    Fail "the WinSW executable does not have the pinned SHA-256 $WinSWSha256; refusing to install it"
  }
  Move-Item -LiteralPath $download -Destination $winsw -Force
}
$xml = Get-Content -LiteralPath (Join-Path $PSScriptRoot "$ServiceName.xml") -Raw
$xml = $xml.Replace('%ProgramFiles%\Ferry', $InstallDir).Replace('%ProgramData%\Ferry', $DataDir)
if ($JavaHome) {
  $xml = $xml.Replace('  <env name="FERRY_JAVA_OPTS"', "  <env name=`"JAVA_HOME`" value=`"$([Security.SecurityElement]::Escape($JavaHome))`"/>`r`n  <env name=`"FERRY_JAVA_OPTS`"")
}
[xml]$xml | Out-Null # refuses to go on with a definition that is not well-formed
Set-Content -LiteralPath (Join-Path $serviceDir "$ServiceName.xml") -Value $xml -Encoding UTF8

# --- register (or refresh) the service ----------------------------------------------------------------
$existing = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($existing) {
  if ($existing.Status -ne 'Stopped') { Stop-Service -Name $ServiceName -Force }
  & $winsw refresh
} else {
  & $winsw install
}
if ($LASTEXITCODE -ne 0) { Fail "WinSW could not register $ServiceName (exit $LASTEXITCODE)" }
# Recovery actions also when the agent exits with an error, not only when it crashes.
& sc.exe failureflag $ServiceName 1 | Out-Null

# The virtual account exists once the service does: give it its folders, and nobody else the configuration.
& icacls.exe $DataDir /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'BUILTIN\Administrators:(OI)(CI)F' "${ServiceAccount}:(OI)(CI)M" | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "could not set the permissions of $DataDir (exit $LASTEXITCODE)" }
# Everything already below it (written by this script as an administrator) inherits exactly that.
& icacls.exe (Join-Path $DataDir '*') /reset /T /C /Q | Out-Null
& icacls.exe $config /inheritance:r /grant:r 'SYSTEM:F' 'BUILTIN\Administrators:F' "${ServiceAccount}:R" | Out-Null
if ($LASTEXITCODE -ne 0) { Fail "could not set the permissions of $config (exit $LASTEXITCODE)" }

# --- enrollment ---------------------------------------------------------------------------------------
if ($EnrollmentToken) {
  if (Test-Path -LiteralPath (Join-Path $agentData 'credentials.json')) {
    Say 'the agent is already enrolled; token not used'
  } else {
    Say "enrolling with $RelayUrl"
    # The token travels in the environment, not on the command line other users can read.
    $env:FERRY_AGENT_TOKEN = $EnrollmentToken
    try {
      $enroll = @('agent', 'enroll', '--relay', $RelayUrl, '--config', $config, '--data-dir', $agentData)
      if ($AgentName) { $enroll += @('--name', $AgentName) }
      & $ferry @enroll
      if ($LASTEXITCODE -ne 0) { Fail "enrollment failed (exit $LASTEXITCODE)" }
    } finally {
      Remove-Item Env:FERRY_AGENT_TOKEN -ErrorAction SilentlyContinue
    }
    # Files written by the enrollment inherit the folder's permissions; make sure of it.
    & icacls.exe $agentData /reset /T | Out-Null
  }
}

# --- start --------------------------------------------------------------------------------------------
if ($NoStart) {
  Say "installed Ferry $version; service $ServiceName registered, not started (-NoStart): Start-Service $ServiceName"
  exit 0
}
if (-not (Test-Path -LiteralPath (Join-Path $agentData 'credentials.json'))) {
  Say "installed Ferry $version; not started because the agent is not enrolled yet:"
  Say "  `$env:FERRY_AGENT_TOKEN='fe_...'; & '$ferry' agent enroll --relay URL --config '$config' --data-dir '$agentData'"
  Say "  Start-Service $ServiceName"
  exit 0
}
Start-Service -Name $ServiceName
(Get-Service -Name $ServiceName).WaitForStatus('Running', [TimeSpan]::FromSeconds(30))
Say "Ferry $version is running as $ServiceName; its log is in $logs"
