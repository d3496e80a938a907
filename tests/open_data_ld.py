#!/usr/bin/env python3
"""Checks the open data's linked-data metadata of a built site with a real JSON-LD processor.

    tests/open_data_ld.py SITE_DIR

Parses data/catalog.jsonld (DCAT) and the schema.org Dataset in data/index.html with rdflib,
checks the DCAT properties docs/open-data.md promises on the catalogue, every dataset and every
distribution, and that every download address lies under the site's base_url and names a file
the build wrote, with the size the catalogue states. Nothing is fetched from the network: the
catalogue has its own @context, and the schema.org context is replaced by the vocabulary it
maps to. scripts/test runs this after the Frictionless step.
"""

import html.parser
import json
import sys
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, XSD

SDO = Namespace("http://schema.org/")

problems = []


def check(ok, message):
    if not ok:
        problems.append(message)
    return ok


def one(graph, subject, prop, what):
    """The single value of prop on subject, or a problem."""
    values = list(graph.objects(subject, prop))
    check(len(values) == 1, f"{what}: {graph.qname(prop)} has {len(values)} values, want 1")
    return values[0] if values else None


def published_file(site, base_url, url, what):
    """The file a download address names, or a problem."""
    url = str(url)
    if not check(url.startswith(base_url), f"{what}: {url} is not under base_url {base_url}"):
        return None
    rel = url[len(base_url):]
    path = site / rel
    if not check(rel and ".." not in rel.split("/") and path.is_file(), f"{what}: {url} → {rel} was not published"):
        return None
    return path


def check_dcat(site):
    text = (site / "data/catalog.jsonld").read_text(encoding="utf-8")
    document = json.loads(text)
    check(isinstance(document.get("@context"), dict), "catalog.jsonld: @context is inline (nothing to fetch)")
    g = Graph()
    g.parse(data=text, format="json-ld")
    catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
    if not check(len(catalogs) == 1, f"catalog.jsonld: {len(catalogs)} dcat:Catalog, want 1"):
        return None, None
    catalog = catalogs[0]
    homepage = one(g, catalog, FOAF.homepage, "catalog")
    base_url = str(homepage) if homepage is not None else ""
    check(base_url.endswith("/"), f"catalog: foaf:homepage {base_url} is the base_url")
    for prop in [DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license,
                 DCTERMS.modified, DCTERMS.spatial, DCTERMS.temporal, DCTERMS.language,
                 DCAT.landingPage]:
        one(g, catalog, prop, "catalog")
    modified = one(g, catalog, DCTERMS.modified, "catalog")
    check(isinstance(modified, Literal) and modified.datatype == XSD.date, "catalog: dct:modified is an xsd:date")

    publisher = one(g, catalog, DCTERMS.publisher, "catalog")
    if publisher is not None:
        check((publisher, RDF.type, FOAF.Organization) in g, "publisher is a foaf:Organization")
        one(g, publisher, FOAF.name, "publisher")

    datasets = list(g.objects(catalog, DCAT.dataset))
    check(len(datasets) >= 2, f"catalog: {len(datasets)} datasets")
    distributions = 0
    for ds in datasets:
        what = f"dataset {ds}"
        check((ds, RDF.type, DCAT.Dataset) in g, f"{what}: a dcat:Dataset")
        for prop in [DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher,
                     DCTERMS.license, DCTERMS.spatial, DCTERMS.temporal, DCTERMS.modified,
                     DCAT.landingPage]:
            one(g, ds, prop, what)
        check(one(g, ds, DCTERMS.publisher, what) == publisher, f"{what}: the catalogue's publisher")
        check(one(g, ds, DCTERMS.modified, what) == modified, f"{what}: the catalogue's dct:modified")
        temporal = one(g, ds, DCTERMS.temporal, what)
        if temporal is not None:
            check((temporal, RDF.type, DCTERMS.PeriodOfTime) in g, f"{what}: dct:temporal is a dct:PeriodOfTime")
            start = one(g, temporal, DCAT.startDate, f"{what} temporal")
            end = one(g, temporal, DCAT.endDate, f"{what} temporal")
            if start is not None and end is not None:
                check(start.datatype == XSD.date and end.datatype == XSD.date, f"{what}: dates are xsd:date")
                check(start.toPython() < end.toPython(), f"{what}: the period starts before it ends")
        spatial = one(g, ds, DCTERMS.spatial, what)
        if spatial is not None:
            check((spatial, RDF.type, DCTERMS.Location) in g, f"{what}: dct:spatial is a dct:Location")
        dists = list(g.objects(ds, DCAT.distribution))
        check(dists, f"{what}: no dcat:distribution")
        for d in dists:
            distributions += 1
            dwhat = f"{what} distribution {one(g, d, DCTERMS.title, what)}"
            check((d, RDF.type, DCAT.Distribution) in g, f"{dwhat}: a dcat:Distribution")
            for prop in [DCAT.accessURL, DCAT.downloadURL, DCAT.mediaType, DCTERMS.format,
                         DCAT.byteSize, DCTERMS.license]:
                one(g, d, prop, dwhat)
            download = one(g, d, DCAT.downloadURL, dwhat)
            check(isinstance(download, URIRef), f"{dwhat}: dcat:downloadURL is an IRI")
            if download is not None:
                path = published_file(site, base_url, download, dwhat)
                size = one(g, d, DCAT.byteSize, dwhat)
                if path is not None and size is not None:
                    check(int(size) == path.stat().st_size,
                          f"{dwhat}: dcat:byteSize {size} but the file has {path.stat().st_size} bytes")
            for schema in g.objects(d, DCTERMS.conformsTo):
                if str(schema).startswith(base_url):
                    published_file(site, base_url, schema, f"{dwhat} dct:conformsTo")
    check(distributions >= 4, f"catalog: {distributions} distributions")
    return base_url, modified


class JsonLdScripts(html.parser.HTMLParser):
    """The text of every <script type="application/ld+json"> element of a page."""

    def __init__(self):
        super().__init__()
        self.blocks = []
        self._inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._inside = True
            self.blocks.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = False

    def handle_data(self, data):
        if self._inside:
            self.blocks[-1] += data


def check_schema_org(site, base_url, modified):
    parser = JsonLdScripts()
    parser.feed((site / "data/index.html").read_text(encoding="utf-8"))
    if not check(len(parser.blocks) == 1, f"data page: {len(parser.blocks)} JSON-LD blocks, want 1"):
        return
    document = json.loads(parser.blocks[0])
    check(document.get("@context") in ("https://schema.org/", "https://schema.org"),
          f"data page: @context {document.get('@context')!r}")
    # The context schema.org serves maps every term into its vocabulary; use that mapping
    # offline instead of fetching it.
    document["@context"] = {"@vocab": str(SDO)}
    g = Graph()
    g.parse(data=json.dumps(document), format="json-ld")
    datasets = list(g.subjects(RDF.type, SDO.Dataset))
    if not check(len(datasets) == 1, f"data page: {len(datasets)} schema:Dataset, want 1"):
        return
    ds = datasets[0]
    for prop in [SDO.name, SDO.description, SDO.url, SDO.license, SDO.creator, SDO.publisher,
                 SDO.spatialCoverage, SDO.temporalCoverage, SDO.dateModified, SDO.version]:
        one(g, ds, prop, "schema:Dataset")
    description = one(g, ds, SDO.description, "schema:Dataset")
    check(description is not None and len(str(description)) >= 50, "schema:Dataset: description of 50 characters or more")
    check(str(one(g, ds, SDO.dateModified, "schema:Dataset")) == str(modified),
          "schema:Dataset: dateModified is the catalogue's dct:modified")
    temporal = str(one(g, ds, SDO.temporalCoverage, "schema:Dataset"))
    check(len(temporal.split("/")) == 2, f"schema:Dataset: temporalCoverage {temporal} is start/end")
    publisher = one(g, ds, SDO.publisher, "schema:Dataset")
    check((publisher, RDF.type, SDO.GovernmentOrganization) in g, "schema:Dataset: publisher is a GovernmentOrganization")
    downloads = list(g.objects(ds, SDO.distribution))
    check(len(downloads) >= 4, f"schema:Dataset: {len(downloads)} distributions")
    for d in downloads:
        check((d, RDF.type, SDO.DataDownload) in g, "schema:Dataset: a distribution is a DataDownload")
        url = one(g, d, SDO.contentUrl, "DataDownload")
        one(g, d, SDO.encodingFormat, "DataDownload")
        if url is not None:
            published_file(site, base_url, url, "DataDownload")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    site = Path(sys.argv[1])
    base_url, modified = check_dcat(site)
    if base_url:
        check_schema_org(site, base_url, modified)
    package = json.loads((site / "data/datapackage.json").read_text(encoding="utf-8"))
    check(str(modified) == package.get("last_modified"), "datapackage.json last_modified = dct:modified")
    if problems:
        for p in problems:
            print(f"open data LD: {p}", file=sys.stderr)
        sys.exit(1)
    print("open data LD: catalog.jsonld and the data page's schema.org Dataset are valid")


if __name__ == "__main__":
    main()
