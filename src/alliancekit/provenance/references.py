"""The references alliancekit cites: the text and BibTeX of every data source and rule, and
what each panel step (or frame) cites. :func:`alliancekit.provenance.cite` and the provenance
records of outputs use them; ``{version}``, ``{dataset_version}``, ``{dataset_as_of}`` and
``{as_of_year}`` in an entry are filled in when it is printed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

CITE_FORMATS = ("bibtex", "text")

# key -> (text, BibTeX)
REFERENCES: dict[str, tuple[str, str]] = {
    "alliancekit": (
        "alliancekit developers. 2026. alliancekit: a toolkit and curated dataset for the "
        "analysis of alliances and security partnerships. Version {version}.",
        "@Manual{alliancekit,\n  author = {{alliancekit developers}},\n"
        "  title = {alliancekit: a toolkit and curated dataset for the analysis of alliances "
        "and security partnerships},\n  year = {2026},\n  note = {Version {version}},\n}",
    ),
    "miller2022peacesciencer": (
        "Miller, Steven V. 2022. peacesciencer: An R Package for Quantitative Peace Science "
        "Research. Conflict Management and Peace Science 39(6): 755-779. "
        "doi:10.1177/07388942221077926",
        "@Article{miller2022peacesciencer,\n  author = {Miller, Steven V.},\n"
        "  title = {{peacesciencer}: An {R} Package for Quantitative Peace Science Research},\n"
        "  journal = {Conflict Management and Peace Science},\n  year = {2022},\n"
        "  volume = {39},\n  number = {6},\n  pages = {755--779},\n"
        "  doi = {10.1177/07388942221077926},\n}",
    ),
    "leeds2002atop": (
        "Leeds, Brett Ashley, Jeffrey M. Ritter, Sara McLaughlin Mitchell and Andrew G. Long. "
        "2002. Alliance Treaty Obligations and Provisions, 1815-1944. International "
        "Interactions 28: 237-260.",
        "@Article{leeds2002atop,\n  author = {Leeds, Brett Ashley and Ritter, Jeffrey M. and "
        "Mitchell, Sara McLaughlin and Long, Andrew G.},\n"
        "  title = {Alliance Treaty Obligations and Provisions, 1815--1944},\n"
        "  journal = {International Interactions},\n  year = {2002},\n  volume = {28},\n"
        "  pages = {237--260},\n}",
    ),
    "singer1972nmc": (
        "Singer, J. David, Stuart Bremer and John Stuckey. 1972. Capability Distribution, "
        "Uncertainty, and Major Power War, 1820-1965. In Bruce Russett (ed.), Peace, War, and "
        "Numbers. Beverly Hills: Sage, 19-48.",
        "@InCollection{singer1972nmc,\n  author = {Singer, J. David and Bremer, Stuart and "
        "Stuckey, John},\n  title = {Capability Distribution, Uncertainty, and Major Power "
        "War, 1820--1965},\n  booktitle = {Peace, War, and Numbers},\n"
        "  editor = {Russett, Bruce},\n  publisher = {Sage},\n  address = {Beverly Hills},\n"
        "  year = {1972},\n  pages = {19--48},\n}",
    ),
    "cow2017states": (
        "Correlates of War Project. 2017. State System Membership List, v2016 (with the major "
        "powers). https://correlatesofwar.org/data-sets/state-system-membership/",
        "@Misc{cow2017states,\n  author = {{Correlates of War Project}},\n"
        "  title = {State System Membership List, v2016},\n  year = {2017},\n"
        "  url = {https://correlatesofwar.org/data-sets/state-system-membership/},\n}",
    ),
    "gleditsch1999states": (
        "Gleditsch, Kristian S. and Michael D. Ward. 1999. A Revised List of Independent States "
        "since the Congress of Vienna. International Interactions 25(4): 393-413.",
        "@Article{gleditsch1999states,\n  author = {Gleditsch, Kristian S. and Ward, Michael D.},"
        "\n  title = {A Revised List of Independent States since the {C}ongress of {V}ienna},\n"
        "  journal = {International Interactions},\n  year = {1999},\n  volume = {25},\n"
        "  number = {4},\n  pages = {393--413},\n}",
    ),
    "stinnett2002contiguity": (
        "Stinnett, Douglas M., Jaroslav Tir, Philip Schafer, Paul F. Diehl and Charles "
        "Gochman. 2002. The Correlates of War Project Direct Contiguity Data, Version 3. "
        "Conflict Management and Peace Science 19(2): 58-66.",
        "@Article{stinnett2002contiguity,\n  author = {Stinnett, Douglas M. and Tir, Jaroslav "
        "and Schafer, Philip and Diehl, Paul F. and Gochman, Charles},\n"
        "  title = {The {C}orrelates of {W}ar Project Direct Contiguity Data, Version 3},\n"
        "  journal = {Conflict Management and Peace Science},\n  year = {2002},\n"
        "  volume = {19},\n  number = {2},\n  pages = {58--66},\n}",
    ),
    "alliancekit_data": (
        "alliancekit developers. {as_of_year}. alliancekit curated security-architecture "
        "dataset, version {dataset_version} (as of {dataset_as_of}). CC BY 4.0.",
        "@Misc{alliancekit_data,\n  author = {{alliancekit developers}},\n"
        "  title = {alliancekit curated security-architecture dataset},\n"
        "  year = {{as_of_year}},\n  note = {Version {dataset_version}, as of {dataset_as_of}; "
        "CC BY 4.0},\n}",
    ),
}

# the covariates (alliancekit.covariates, alliancekit.fpsim), peacesciencer's keys where it has
# them
REFERENCES |= {
    "gibleretal2016amid": (
        "Gibler, Douglas M., Steven V. Miller and Erin K. Little. 2016. An Analysis of the "
        "Militarized Interstate Dispute (MID) Dataset, 1816-2001. International Studies "
        "Quarterly 60(4): 719-730.",
        "@Article{gibleretal2016amid,\n  author = {Gibler, Douglas M. and Miller, Steven V. and "
        "Little, Erin K.},\n  title = {An Analysis of the Militarized Interstate Dispute ({MID}) "
        "Dataset, 1816--2001},\n  journal = {International Studies Quarterly},\n"
        "  year = {2016},\n  volume = {60},\n  number = {4},\n  pages = {719--730},\n}",
    ),
    "becketal1998ttsa": (
        "Beck, Nathaniel, Jonathan N. Katz and Richard Tucker. 1998. Taking Time Seriously: "
        "Time-Series-Cross-Section Analysis with a Binary Dependent Variable. American Journal "
        "of Political Science 42(4): 1260-1288.",
        "@Article{becketal1998ttsa,\n  author = {Beck, Nathaniel and Katz, Jonathan N. and "
        "Tucker, Richard},\n  title = {Taking Time Seriously: Time-Series--Cross-Section "
        "Analysis with a Binary Dependent Variable},\n  journal = {American Journal of "
        "Political Science},\n  year = {1998},\n  volume = {42},\n  number = {4},\n"
        "  pages = {1260--1288},\n}",
    ),
    "pevehouseetal2020tow": (
        "Pevehouse, Jon C.W., Timothy Nordstrom, Roseanne W. McManus and Anne Spencer Jamison. "
        "2020. Tracking Organizations in the World: The Correlates of War IGO Version 3.0 "
        "Datasets. Journal of Peace Research 57(3): 492-503.",
        "@Article{pevehouseetal2020tow,\n  author = {Pevehouse, Jon C. W. and Nordstrom, "
        "Timothy and McManus, Roseanne W. and Jamison, Anne Spencer},\n  title = {Tracking "
        "Organizations in the World: The {C}orrelates of {W}ar {IGO} Version 3.0 Datasets},\n"
        "  journal = {Journal of Peace Research},\n  year = {2020},\n  volume = {57},\n"
        "  number = {3},\n  pages = {492--503},\n}",
    ),
    "schvitz2022mis": (
        "Schvitz, Guy, Seraina Ruegger, Luc Girardin, Lars-Erik Cederman, Nils Weidmann and "
        "Kristian Skrede Gleditsch. 2022. Mapping the International System, 1886-2017: The "
        "CShapes 2.0 Dataset. Journal of Conflict Resolution 66(1): 144-161.",
        "@Article{schvitz2022mis,\n  author = {Schvitz, Guy and Ruegger, Seraina and Girardin, "
        "Luc and Cederman, Lars-Erik and Weidmann, Nils and Gleditsch, Kristian Skrede},\n"
        "  title = {Mapping the International System, 1886--2017: The {CShapes} 2.0 Dataset},\n"
        "  journal = {Journal of Conflict Resolution},\n  year = {2022},\n  volume = {66},\n"
        "  number = {1},\n  pages = {144--161},\n  doi = {10.1177/00220027211013563},\n}",
    ),
    "thompsonetal2021asr": (
        "Thompson, William R., Kentaro Sakuwa and Prashant Hosur Suhas. 2021. Analyzing "
        "Strategic Rivalries in World Politics: Types of Rivalry, Regional Variation, and "
        "Escalation/De-escalation. Singapore: Springer.",
        "@Book{thompsonetal2021asr,\n  author = {Thompson, William R. and Sakuwa, Kentaro and "
        "Suhas, Prashant Hosur},\n  title = {Analyzing Strategic Rivalries in World Politics: "
        "Types of Rivalry, Regional Variation, and Escalation/De-escalation},\n"
        "  publisher = {Springer},\n  address = {Singapore},\n  year = {2021},\n}",
    ),
    "signorinoritter1999tbnt": (
        "Signorino, Curtis S. and Jeffrey M. Ritter. 1999. Tau-b or Not Tau-b: Measuring the "
        "Similarity of Foreign Policy Positions. International Studies Quarterly 43(1): "
        "115-144.",
        "@Article{signorinoritter1999tbnt,\n  author = {Signorino, Curtis S. and Ritter, "
        "Jeffrey M.},\n  title = {Tau-b or Not Tau-b: Measuring the Similarity of Foreign "
        "Policy Positions},\n  journal = {International Studies Quarterly},\n"
        "  year = {1999},\n  volume = {43},\n  number = {1},\n  pages = {115--144},\n}",
    ),
    "haege2011cc": (
        "Häge, Frank M. 2011. Choice or Circumstance? Adjusting Measures of Foreign Policy "
        "Similarity for Chance Agreement. Political Analysis 19(3): 287-305.",
        '@Article{haege2011cc,\n  author = {H{\\"a}ge, Frank M.},\n  title = {Choice or '
        "Circumstance? Adjusting Measures of Foreign Policy Similarity for Chance Agreement},\n"
        "  journal = {Political Analysis},\n  year = {2011},\n  volume = {19},\n"
        "  number = {3},\n  pages = {287--305},\n}",
    ),
}

# what each step (or frame) cites; every panel cites alliancekit and peacesciencer's rules
STEP_REFERENCES: dict[str, tuple[str, ...]] = {
    "cow": ("cow2017states",),
    "gw": ("gleditsch1999states",),
    "atop": ("leeds2002atop",),
    "nmc": ("singer1972nmc",),
    "majors": ("cow2017states",),
    "contiguity": ("stinnett2002contiguity",),
    "ties": ("alliancekit_data",),
    "gml_mids": ("gibleretal2016amid",),
    "peace_years": ("gibleretal2016amid", "becketal1998ttsa"),
    "igos": ("pevehouseetal2020tow",),
    "mindist": ("schvitz2022mis",),
    "capdist": ("miller2022peacesciencer",),  # peacesciencer's capitals
    "rivalries": ("thompsonetal2021asr",),
    "fpsim": ("leeds2002atop", "signorinoritter1999tbnt", "haege2011cc", "singer1972nmc"),
}


def dataset_meta() -> dict[str, str]:
    """title, version and as_of of the curated dataset, read from its ``dataset.toml``
    directly: importing :mod:`alliancekit.data` (validation models) would cost a panel command
    0.1-0.3 s."""
    import tomllib

    meta = tomllib.loads(
        (Path(__file__).parent.parent / "data" / "dataset.toml").read_text("utf-8")
    )
    return {k: str(meta[k]) for k in ("title", "version", "as_of")}


def filled(template: str) -> str:
    from alliancekit import __version__

    info = dataset_meta()
    values = {
        "version": __version__,
        "dataset_version": info["version"],
        "dataset_as_of": info["as_of"],
        "as_of_year": info["as_of"][:4],
    }
    for k, v in values.items():
        template = template.replace("{" + k + "}", str(v))
    return template


def references_for(steps: Iterable[str]) -> list[str]:
    """The reference keys for ``steps`` (cow, gw, atop, nmc, majors, contiguity, ties), in
    order, alliancekit and peacesciencer first."""
    from alliancekit.schema import choices

    keys = ["alliancekit", "miller2022peacesciencer"]
    for step in choices(steps, STEP_REFERENCES, "steps", "step"):
        keys.extend(STEP_REFERENCES[step])
    return list(dict.fromkeys(keys))


def formatted(keys: Iterable[str], fmt: str = "bibtex") -> str:
    """The references ``keys`` as BibTeX entries (``fmt="bibtex"``) or lines of text, in
    order; unknown keys are left out."""
    pick = 1 if fmt == "bibtex" else 0
    sep = "\n\n" if fmt == "bibtex" else "\n"
    return sep.join(filled(REFERENCES[k][pick]) for k in keys if k in REFERENCES)


def citations(keys: Iterable[str]) -> list[str]:
    """The plain-text citation of each reference in ``keys`` (a provenance record's
    ``citations``)."""
    return [filled(REFERENCES[k][0]) for k in keys]
