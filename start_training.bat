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
) else if not exist dist\cli.js (
  echo Building... 1>&2
  call npm run build 1>&2 || exit /b 1
)
node dist\cli.js train %*
exit /b %errorlevel%
