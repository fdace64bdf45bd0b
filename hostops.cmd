@echo off
rem hostops launcher for Windows: builds the executable jar on first use (or when sources changed), then runs it.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%cli\target\hostops.jar"
set "WHY=first run"
if not exist "%JAR%" goto build
rem As ./hostops does: a jar older than a source, pom.xml or resource (after a git pull, say) is
rem rebuilt, so "hostops.cmd node install" never installs the build from before the pull.
rem PowerShell compares the times (batch cannot); it exits 10 for stale, and anything else (no
rem sources beside a copied jar, no PowerShell) runs the jar as it is.
powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "$built = (Get-Item -LiteralPath $env:JAR).LastWriteTimeUtc; $found = @(Get-Item -LiteralPath (Join-Path $env:HERE 'pom.xml') -ErrorAction SilentlyContinue) + @(foreach ($m in 'contracts','broker','node-agent','dispatcher','cli') { $dir = Join-Path $env:HERE $m; Get-Item -LiteralPath (Join-Path $dir 'pom.xml') -ErrorAction SilentlyContinue; if (Test-Path -LiteralPath (Join-Path $dir 'src\main')) { Get-ChildItem -LiteralPath (Join-Path $dir 'src\main') -Recurse -File } }); if ($found | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1) { exit 10 } else { exit 0 }"
if %ERRORLEVEL% EQU 10 (set "WHY=sources changed" & goto build)
goto run

:build
where mvn >nul 2>nul || (echo hostops: Maven ^(mvn^) is needed to build hostops; install it and a JDK 17+. 1>&2 & exit /b 2)
echo hostops: building %JAR% ^(%WHY%; about a minute^) ... 1>&2
pushd "%HERE%"
call mvn -B -q -DskipTests package -pl cli -am || (popd & echo hostops: the build failed; run "mvn -B package -DskipTests" to see why 1>&2 & exit /b 2)
popd
echo hostops: built. 1>&2

:run
rem The node agent runs from the node-only jar (cli/pom.xml says why) with small, steady options
rem (why: node-agent NodeJvmOptions; keep this line equal to it).
set "OPTS="
if /i "%~1"=="node" if exist "%HERE%cli\target\hostops-node.jar" set "JAR=%HERE%cli\target\hostops-node.jar"
if /i "%~1"=="node" set "OPTS=-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms8m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:ReservedCodeCacheSize=32m -Xss512k"
rem The dispatcher gets a bounded heap and C1 only (why: dispatcher DispatcherJvmOptions; keep this line equal to it).
if /i "%~1"=="dispatcher" set "OPTS=-XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1"
java %OPTS% %HOSTOPS_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
