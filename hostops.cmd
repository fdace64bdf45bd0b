@echo off
rem hostops launcher for Windows: builds the executable jar on first use, then runs it.
setlocal
set "HERE=%~dp0"
set "JAR=%HERE%cli\target\hostops.jar"
if not exist "%JAR%" (
  where mvn >nul 2>nul || (echo hostops: Maven ^(mvn^) is needed to build hostops the first time; install it and a JDK 17+. 1>&2 & exit /b 2)
  echo hostops: building %JAR% ^(first run; about a minute^) ... 1>&2
  pushd "%HERE%"
  call mvn -B -q -DskipTests package -pl cli -am || (popd & echo hostops: the build failed; run "mvn -B package -DskipTests" to see why 1>&2 & exit /b 2)
  popd
  echo hostops: built. 1>&2
)
rem The node agent runs from the node-only jar (cli/pom.xml says why) with small, steady options
rem (why: node-agent NodeJvmOptions; keep this line equal to it).
set "OPTS="
if /i "%~1"=="node" if exist "%HERE%cli\target\hostops-node.jar" set "JAR=%HERE%cli\target\hostops-node.jar"
if /i "%~1"=="node" set "OPTS=-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xms8m -Xmx96m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:ReservedCodeCacheSize=32m -Xss512k"
rem The dispatcher gets a bounded heap and C1 only (why: dispatcher DispatcherJvmOptions; keep this line equal to it).
if /i "%~1"=="dispatcher" set "OPTS=-XX:+UseSerialGC -Xmx128m -XX:TieredStopAtLevel=1"
java %OPTS% %HOSTOPS_JAVA_OPTS% -jar "%JAR%" %*
exit /b %ERRORLEVEL%
