"""The texts a municipality starts from; 市職員 publish their own versions on the policy page.

Modelled on the form Kodaira hands out at every meeting that handles personal information
(seed 000): the basic policy, and a pledge naming 介護保険法 第115条の48第5項 and 第205条第2項.
"""

POLICY = """{municipality}地域ケア会議における個人情報基本方針

1 地域ケア会議の事務に従事する者及び従事していた者（以下「会議事務従事者」という。）は、介護保険法第115条の48第5項の定めにより、会議で知り得た情報を適切に保護し、正当な理由なく他に漏らしてはならない。

2 会議事務従事者は、{municipality}地域ケア会議にかかる個人情報に関する誓約書に署名し、主催者に提出する。

3 主催者は、会議事務従事者に対し、介護保険法第115条の48第5項及び第205条第2項（違反した者は1年以下の拘禁刑又は100万円以下の罰金）について説明し、理解を得る。

4 会議の資料は必要最小限とし、氏名・住所などの個人を特定できる情報は記載しない。資料は会議終了後に回収する。"""

PLEDGE = """{municipality}地域ケア会議にかかる個人情報に関する誓約書

介護保険法第115条の48第5項、第205条第2項及び{municipality}地域ケア会議における個人情報基本方針に基づき、地域ケア会議で取り上げられ協議を行った事例の個人情報について、他に漏らさず守秘することを誓約します。"""
