"""Daily brief (工作日报) and review (复盘总结): one content builder, two writers (.docx and PDF)."""
