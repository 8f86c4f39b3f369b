"""Files in and out: safe workbook reading, the blank template, the plan workbook writer,
workbook styling and atomic writes, Excel-native and PNG charts."""
