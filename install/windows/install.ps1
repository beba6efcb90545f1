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

  Layout, and what the service account may do there:
    <InstallDir>\releases\<version>      this distribution (InstallDir: %ProgramFiles%\Ferry)    read
    <InstallDir>\current                 a junction to the release that runs
    <DataDir>\agent.properties           configuration (DataDir: %ProgramData%\Ferry)             read
    <DataDir>\agent                      the agent's identity, outbox, secrets                    modify
    <DataDir>\logs                       the service's log (rolled at 10 MB, 8 kept)              modify
    <DataDir>\service\FerryAgent.exe     WinSW 2.12.0, checked against its SHA-256                read
    <DataDir>\service\FerryAgent.xml     the service definition (windows\FerryAgent.xml)          read

  The service runs as the virtual account NT SERVICE\FerryAgent. Everything it may not modify is writable
  by SYSTEM and Administrators only, so the agent cannot change its own allowlist (policy.* in
  agent.properties), its service definition (an <env> there would override any setting) or the programs
  it runs. It restarts after a failure (10 s, 30 s, then every 60 s), not after an invalid setting (exit
  code 3; windows\agent-service.cmd), and the Application event log records its start, stop and failures.
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
  # A WinSW-x64.exe already on this host (it must match the pinned checksum). Without it, a WinSW-x64.exe
  # put into this windows\ folder is used, else it is downloaded.
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
# The event source agent-service.cmd writes with (eventcreate writes only to a source it created itself).
$EventSource = 'Ferry agent'
# Well-known SIDs rather than names, which a localised Windows translates: SYSTEM, Administrators, Users.
$System = '*S-1-5-18'
$Administrators = '*S-1-5-32-544'
$Users = '*S-1-5-32-545'

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

# Gives a folder exactly these grants, none inherited from above it, and makes everything below it inherit
# them (so grants of an earlier install, or ones a file was created with, do not stay).
function Set-FolderAccess([string]$Path, [string[]]$Grants) {
  & icacls.exe $Path /inheritance:r /grant:r @Grants | Out-Null
  if ($LASTEXITCODE -ne 0) { Fail "could not set the permissions of $Path (exit $LASTEXITCODE)" }
  if (Get-ChildItem -LiteralPath $Path -Force | Select-Object -First 1) {
    & icacls.exe (Join-Path $Path '*') /reset /T /C /Q | Out-Null
    if ($LASTEXITCODE -ne 0) { Fail "could not reset the permissions of everything below $Path (exit $LASTEXITCODE); icacls.exe '$Path\*' /reset /T /C names the files" }
  }
}

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
# The programs the service runs (ferry.cmd, agent-service.cmd) are as much its policy as agent.properties:
# read only for everyone but SYSTEM and Administrators, also where -InstallDir is not below Program Files.
Set-FolderAccess $InstallDir @("${System}:(OI)(CI)F", "${Administrators}:(OI)(CI)F", "${Users}:(OI)(CI)RX")

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
# No package registry carries WinSW 2.x, so the distribution does not ship it: -WinSWPath, a WinSW-x64.exe
# put next to this script (hosts without internet access), or the download; each is checked alike.
$winsw = Join-Path $serviceDir "$ServiceName.exe"
$bundled = Join-Path $PSScriptRoot 'WinSW-x64.exe'
if ((Test-Path -LiteralPath $winsw) -and -not (Test-WinSW $winsw)) {
  Fail "$winsw is not WinSW 2.12.0 (SHA-256 differs from $WinSWSha256); remove it and run again"
}
if (-not (Test-Path -LiteralPath $winsw)) {
  $download = "$winsw.download"
  if ($WinSWPath) {
    Copy-Item -LiteralPath $WinSWPath -Destination $download -Force
  } elseif (Test-Path -LiteralPath $bundled) {
    Say "using $bundled"
    Copy-Item -LiteralPath $bundled -Destination $download -Force
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
Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'WinSW-LICENSE.txt') -Destination $serviceDir -Force
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

# WinSW registered its own event source (FerryAgent: start, stop, the agent's exit code). agent-service.cmd
# adds why the agent stopped under $EventSource, which only an administrator can create: this first event does.
& eventcreate.exe /L APPLICATION /SO $EventSource /T INFORMATION /ID 2 /D "Ferry $version installed as the service $ServiceName." | Out-Null
if ($LASTEXITCODE -ne 0) { Say "warning: eventcreate could not use the event source '$EventSource' (exit $LASTEXITCODE); why the agent stopped is then in $logs only" }

# --- permissions: the virtual account exists once the service does ------------------------------------
# It may look into DataDir (this folder only, nothing below inherits it) and read agent.properties, run and
# read the service folder, and change its data and its logs; nothing else. Everything else is SYSTEM's
# and the Administrators', and the grants of an older install (Modify on all of DataDir) are reset.
Set-FolderAccess $DataDir @("${System}:(OI)(CI)F", "${Administrators}:(OI)(CI)F", "${ServiceAccount}:(RX)")
Set-FolderAccess $serviceDir @("${System}:(OI)(CI)F", "${Administrators}:(OI)(CI)F", "${ServiceAccount}:(OI)(CI)RX")
Set-FolderAccess $agentData @("${System}:(OI)(CI)F", "${Administrators}:(OI)(CI)F", "${ServiceAccount}:(OI)(CI)M")
Set-FolderAccess $logs @("${System}:(OI)(CI)F", "${Administrators}:(OI)(CI)F", "${ServiceAccount}:(OI)(CI)M")
& icacls.exe $config /inheritance:r /grant:r "${System}:F" "${Administrators}:F" "${ServiceAccount}:R" | Out-Null
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
    # Files written by the enrollment get the agent folder's permissions (the service's Modify included).
    Set-FolderAccess $agentData @("${System}:(OI)(CI)F", "${Administrators}:(OI)(CI)F", "${ServiceAccount}:(OI)(CI)M")
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
