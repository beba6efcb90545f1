@echo off
rem The Ferry agent as the Windows service FerryAgent: the process WinSW starts (FerryAgent.xml), with the
rem agent's own arguments (--config ...). It runs `ferry agent run` and turns how the agent ended into what
rem the Service Control Manager should do, because WinSW itself cannot tell one exit code from another:
rem
rem   0                 a clean end: WinSW reports the service stopped, nothing is restarted.
rem   3                 an invalid or missing setting. A restart cannot fix that, so (as systemd's
rem                     RestartPreventExitStatus=3 on Linux) the service is not restarted: an error event in
rem                     the Application log names the log with the agent's message, and the exit is 0, which
rem                     WinSW reports as a stop rather than a failure the recovery actions would answer.
rem   130, 143, -1073741510  the JVM's answer to Ctrl+C or a close request, and Windows' code for a process
rem                     Ctrl+C ended: WinSW stopping the service.
rem   anything else     a failure: an error event, and the code is passed on, so WinSW reports a failure and
rem                     the recovery actions restart the agent (10 s, 30 s, then every 60 s).
rem
rem The events use the source "Ferry agent", which install.ps1 registers (eventcreate can write only to a
rem source it created itself; WinSW's own events use the source FerryAgent).
setlocal
set "SOURCE=Ferry agent"
set "LOG=the service's log"
rem WinSW sets BASE (its own folder, <DataDir>\service) and SERVICE_ID; its logs are in <DataDir>\logs.
if defined BASE for %%L in ("%BASE%\..\logs") do set "LOG=%%~fL\%SERVICE_ID%.err.log"

call "%~dp0..\bin\ferry.cmd" agent run %*
set "CODE=%ERRORLEVEL%"

if "%CODE%"=="0" exit /b 0
if "%CODE%"=="130" exit /b %CODE%
if "%CODE%"=="143" exit /b %CODE%
if "%CODE%"=="-1073741510" exit /b %CODE%
if "%CODE%"=="3" (
  eventcreate /L APPLICATION /SO "%SOURCE%" /T ERROR /ID 3 /D "The Ferry agent stopped: a setting is invalid or missing (exit code 3). It is not restarted. %LOG% names the setting; correct it, then: Start-Service FerryAgent" >nul 2>&1
  exit /b 0
)
eventcreate /L APPLICATION /SO "%SOURCE%" /T ERROR /ID 1 /D "The Ferry agent ended with exit code %CODE%; the service's recovery actions restart it. Its message is in %LOG%." >nul 2>&1
exit /b %CODE%
