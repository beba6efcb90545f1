@echo off
rem Ferry launcher (Windows). Picks Java from JAVA_HOME or PATH, builds the class path and runs `ferry`.
rem SAP's lib\sapjco3.jar (with sapjco3.dll next to it) replaces Ferry's simulator jco-mock when present.
rem Environment: JAVA_HOME, FERRY_JAVA_OPTS (extra JVM options, last, so they win), FERRY_AGENT_JAVA_OPTS
rem (replaces the JVM options `agent run` gets by default, below), FERRY_LIB (lib directory).
setlocal EnableDelayedExpansion

set "BIN=%~dp0"
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java.exe"
"%JAVA%" -version >nul 2>&1
if errorlevel 1 (
  echo ferry: needs Java 21 or newer; set JAVA_HOME to a Java 21+ installation. 1>&2
  exit /b 1
)

if defined FERRY_LIB (
  set "LIB=%FERRY_LIB%"
) else if exist "%BIN%..\lib\ferry.jar" (
  set "LIB=%BIN%..\lib"
) else if exist "%BIN%..\..\cli\target\ferry.jar" (
  set "LIB=%BIN%..\..\cli\target"
) else (
  echo ferry: cannot find ferry.jar. Build it first: mvnw.cmd -q -DskipTests package 1>&2
  exit /b 1
)
set "DEPS=%LIB%"
if exist "%LIB%\lib" set "DEPS=%LIB%\lib"

set "CP=%LIB%\ferry.jar"
set "MOCK="
for %%J in ("%DEPS%\*.jar") do (
  set "NAME=%%~nxJ"
  if /I "!NAME!"=="ferry.jar" (
    rem the launcher's own jar is already first
  ) else if /I "!NAME!"=="sapjco3.jar" (
    rem chosen below
  ) else if /I "!NAME:~0,15!"=="ferry-jco-mock-" (
    set "MOCK=%%~fJ"
  ) else (
    set "CP=!CP!;%%~fJ"
  )
)
set "JVM_OPTS="
if exist "%DEPS%\sapjco3.jar" (
  set "CP=%DEPS%\sapjco3.jar;!CP!"
  set "JVM_OPTS=-Djava.library.path=%DEPS%"
) else if defined MOCK (
  set "CP=!CP!;!MOCK!"
)
rem lib\demo holds the OData test server of `ferry demo --sap odata` (odata-peer on Apache Olingo 2 and its
rem libraries): a test server, on the class path of `ferry demo` only, never an agent's or a relay's.
if /I "%~1"=="demo" if exist "%DEPS%\demo\" (
  for %%J in ("%DEPS%\demo\*.jar") do set "CP=!CP!;%%~fJ"
)

rem `ferry agent run` is a service: these keep its resident memory under 150 MB (docs\operations.md, "The agent's
rem JVM options"); the same as in bin/ferry.
set "AGENT_DEFAULTS=-XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1"
set "AGENT_OPTS="
if "%~1"=="agent" if "%~2"=="run" (
  if defined FERRY_AGENT_JAVA_OPTS (set "AGENT_OPTS=!FERRY_AGENT_JAVA_OPTS!") else (set "AGENT_OPTS=!AGENT_DEFAULTS!")
)

rem Class data sharing for `agent run` (docs\operations.md, "Class data sharing"; the same as in bin/ferry): an archive
rem of the loaded classes in the agent's data directory, written when the agent stops. The directory is
rem FERRY_AGENT_DATA_DIR or agent.data-dir in the --config file (the Windows service passes one); --data-dir on the
rem command line, a property with escapes or a path with spaces leave it off. FERRY_JAVA_OPTS=-Xshare:off turns it off.
rem One file name here (bin/ferry names it by the jars): after an upgrade the JVM ignores the old archive; delete it.
set "CDS_OPTS="
set "DATA_DIR="
if "%~1"=="agent" if "%~2"=="run" (
  if defined FERRY_AGENT_DATA_DIR (
    set "DATA_DIR=!FERRY_AGENT_DATA_DIR!"
  ) else if "%~3"=="--config" if exist "%~4" (
    for /f "usebackq tokens=1,* delims==" %%A in (`findstr /b /c:"agent.data-dir=" "%~4"`) do set "DATA_DIR=%%B"
  )
)
if defined DATA_DIR (
  set "DATA_DIR=!DATA_DIR:\\=\!"
  if not "!DATA_DIR: =!"=="!DATA_DIR!" set "DATA_DIR="
)
if defined DATA_DIR if exist "!DATA_DIR!\" (
  set "CDS_OPTS=-XX:SharedArchiveFile=!DATA_DIR!\ferry-agent.jsa -XX:+AutoCreateSharedArchive -Xlog:cds=off,cds+dynamic=off"
)

for %%H in ("%BIN%..") do set "HOME_DIR=%%~fH"
"%JAVA%" --enable-native-access=ALL-UNNAMED %JVM_OPTS% !AGENT_OPTS! !CDS_OPTS! %FERRY_JAVA_OPTS% "-Dferry.home=!HOME_DIR!" -cp "!CP!" io.ferry.cli.Main %*
exit /b %ERRORLEVEL%
