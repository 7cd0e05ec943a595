"""The reference dashboard: Streamlit pages over the published warehouse's marts (make dashboard)."""
