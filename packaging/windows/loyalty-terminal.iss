; Inno Setup script for the Windows installer of the Loyalty Terminal.
; build.py runs it when `iscc` is on PATH:
;   iscc /DAppVersion=0.1.0 /DSourceDir=packaging\dist\loyalty-terminal /Opackaging\dist packaging\windows\loyalty-terminal.iss
; It installs the PyInstaller folder per user (no admin rights needed at a shop PC),
; with a Start menu entry and an optional desktop icon.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\loyalty-terminal"
#endif

[Setup]
AppId={{8D3C2F4A-6B1E-4C7A-9E55-2A7D0F1B3C91}
AppName=Loyalty Terminal
AppVersion={#AppVersion}
AppPublisher=Loyalty Terminal
DefaultDirName={autopf}\Loyalty Terminal
DefaultGroupName=Loyalty Terminal
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=loyalty-terminal-{#AppVersion}-setup
SetupIconFile=..\icons\loyalty-terminal.ico
UninstallDisplayIcon={app}\loyalty-terminal.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Loyalty Terminal"; Filename: "{app}\loyalty-terminal.exe"
Name: "{group}\Loyalty Terminal self-test"; Filename: "{cmd}"; Parameters: "/k ""{app}\loyalty-terminal-cli.exe"" --self-test"
Name: "{autodesktop}\Loyalty Terminal"; Filename: "{app}\loyalty-terminal.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\loyalty-terminal.exe"; Description: "{cm:LaunchProgram,Loyalty Terminal}"; Flags: nowait postinstall skipifsilent
