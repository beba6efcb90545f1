<#
.SYNOPSIS
  Removes the Ferry agent service installed by install.ps1.

.DESCRIPTION
  Stops and unregisters the service FerryAgent and removes the program files. The configuration, the
  agent's identity and outbox and the logs in DataDir stay (a reinstall picks them up, still enrolled)
  unless -Purge is given, which also removes the service's event log sources. Safe to run again.
#>
[CmdletBinding()]
param(
  [string]$InstallDir = (Join-Path $env:ProgramFiles 'Ferry'),
  [string]$DataDir = (Join-Path $env:ProgramData 'Ferry'),
  # Also delete the configuration, the agent's identity, results not yet delivered, and the logs.
  [switch]$Purge
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$ServiceName = 'FerryAgent'

function Say([string]$Message) { Write-Host "uninstall.ps1: $Message" }

$principal = [Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'uninstall.ps1: run this from an elevated PowerShell (Run as administrator)'
}

$winsw = Join-Path $DataDir "service\$ServiceName.exe"
$service = Get-Service -Name $ServiceName -ErrorAction SilentlyContinue
if ($service) {
  if ($service.Status -ne 'Stopped') { Stop-Service -Name $ServiceName -Force }
  if (Test-Path -LiteralPath $winsw) {
    & $winsw uninstall
  } else {
    & sc.exe delete $ServiceName | Out-Null
  }
  Say "removed the service $ServiceName"
}

$current = Join-Path $InstallDir 'current'
if (Test-Path -LiteralPath $current) { [System.IO.Directory]::Delete($current, $false) }
if (Test-Path -LiteralPath $InstallDir) { Remove-Item -LiteralPath $InstallDir -Recurse -Force }
Say "removed $InstallDir"

if ($Purge) {
  if (Test-Path -LiteralPath $DataDir) { Remove-Item -LiteralPath $DataDir -Recurse -Force }
  # The event sources install.ps1 (Ferry agent) and WinSW (FerryAgent) registered; their events stay in the log.
  foreach ($source in 'Ferry agent', $ServiceName) {
    if ([Diagnostics.EventLog]::SourceExists($source)) { [Diagnostics.EventLog]::DeleteEventSource($source) }
  }
  Say "purged $DataDir"
} else {
  $serviceDir = Join-Path $DataDir 'service'
  if (Test-Path -LiteralPath $serviceDir) { Remove-Item -LiteralPath $serviceDir -Recurse -Force }
  Say "kept the configuration, the agent's data and the logs in $DataDir (-Purge removes them)"
}
