"""The pandas reference: read, clean the yes/no columns, one groupby per dimension (what an analyst writes)."""
import sys

import pandas as pd

df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
yes = lambda s: s.str.lower().isin(["y", "yes", "1"])
tested = yes(df["tested"])
proficient = yes(df["proficient"])
subject = df["subject"].str.lower()
df["reading_den"] = (df["grade"] == "3") & (subject == "ela") & tested
df["reading_num"] = df["reading_den"] & proficient
df["math_den"] = (df["grade"] == "8") & (subject == "math") & tested
df["math_num"] = df["math_den"] & proficient
cols = ["reading_den", "reading_num", "math_den", "math_num"]
groups = [df.groupby("district_id")[cols].sum()]
for dim in ["race_ethnicity", "gender", "economic_disadvantage", "english_learner", "disability"]:
    groups.append(df.groupby(["district_id", dim])[cols].sum())
print(sum(len(g) for g in groups), "groups")
