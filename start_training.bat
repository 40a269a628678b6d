@echo off
rem Starts a training run on Windows: installs dependencies when missing, builds, then runs
rem `trading-workers train` with every argument passed through (see README or --help).
setlocal
cd /d "%~dp0"
where node >nul 2>nul
if errorlevel 1 (
  echo start_training.bat: Node.js ^>= 20.19 is required ^(https://nodejs.org^) 1>&2
  exit /b 2
)
if not exist node_modules (
  echo Installing dependencies ^(npm ci^)... 1>&2
  call npm ci --no-audit --no-fund 1>&2 || exit /b 1
  goto run
)
rem Rebuild when dist\cli.js is missing or a TypeScript source is newer than it, as
rem start_training.sh does (cli.ts cli shared worker supervisor tui against dist\cli.js).
set "STALE="
if not exist dist\cli.js set "STALE=1"
if not defined STALE for /f %%S in ('powershell -NoProfile -Command "$built = (Get-Item 'dist\cli.js').LastWriteTimeUtc; $newer = Get-ChildItem -Path cli.ts,cli,shared,worker,supervisor,tui -Recurse -File -Include *.ts,*.tsx -ErrorAction SilentlyContinue | Where-Object { $_.LastWriteTimeUtc -gt $built } | Select-Object -First 1; if ($newer) { 'stale' }"') do set "STALE=1"
if defined STALE (
  echo Building... 1>&2
  call npm run build 1>&2 || exit /b 1
)
:run
node dist\cli.js train %*
exit /b %errorlevel%
