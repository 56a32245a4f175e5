import ConfigLang
print(DiagnosticCode.allCases.count)
