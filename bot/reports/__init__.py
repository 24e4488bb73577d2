"""Pictures and files made from a patient's data: the progress chart, PDF reports, exports."""
